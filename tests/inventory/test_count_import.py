from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from inventory import services
from inventory.counts import CountFileError, stock_count_import, stock_count_plan
from inventory.models import StaffProfile, StockLevel, StockMovement, TillToken
from inventory.tills import till_authenticate
from tests.factories import StoreFactory, UserFactory, VariantFactory


def level(store, variant):
    row = StockLevel.objects.filter(store=store, variant=variant).first()
    return row.on_hand if row else 0


def ledger(store, variant):
    return (
        StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))["s"]
        or 0
    )


@pytest.fixture
def shelf(db):
    """Two stores, three sizes, some stock: the state a count is compared with."""
    north, south = StoreFactory(code="north"), StoreFactory(code="south")
    a, b, c = VariantFactory.create_batch(3)
    services.stock_receive(store=north, variant=a, quantity=5)
    services.stock_receive(store=north, variant=b, quantity=2)
    services.stock_receive(store=south, variant=a, quantity=1)
    return north, south, a, b, c


def csv_for(rows, header="store,sku,counted"):
    return header + "\n" + "\n".join(",".join(str(c) for c in row) for row in rows) + "\n"


def write(tmp_path, text, name="count.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_stock_count", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Reading a file ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stock_count_plan_finds_a_sku_whatever_its_case(shelf):
    north, _south, a, _b, _c = shelf
    plan = stock_count_plan(data=csv_for([("NORTH", a.sku.lower(), 4)]))
    assert plan.is_valid, plan.problems
    assert [(row.store, row.variant, row.delta) for row in plan.rows] == [(north, a, -1)]


@pytest.mark.django_db
def test_stock_count_plan_lists_differences_against_stock_now(shelf):
    north, south, a, b, c = shelf
    plan = stock_count_plan(
        data=csv_for(
            [
                ("north", a.sku, 5),
                ("north", b.sku, 3),
                ("south", a.sku, 0),
                ("south", c.barcode, 4),
            ]
        )
    )
    assert plan.is_valid
    assert [
        (r.line, r.store.code, r.variant.sku, r.current, r.counted, r.delta) for r in plan.changes
    ] == [
        (3, "north", b.sku, 2, 3, 1),
        (4, "south", a.sku, 1, 0, -1),
        (5, "south", c.sku, 0, 4, 4),
    ]
    assert plan.unchanged == 1


@pytest.mark.django_db
def test_stock_count_plan_reads_excel_hebrew_csv(shelf):
    north, _south, a, b, _c = shelf
    text = "קוד סניף;ברקוד;כמות\r\n" + f"NORTH;{a.barcode};7\r\n;;\r\nnorth;{b.barcode};2\r\n"
    plan = stock_count_plan(data=text.encode("cp1255"), name="ספירה.csv")
    assert plan.is_valid, plan.problems
    assert [(r.variant.sku, r.counted) for r in plan.rows] == [(a.sku, 7), (b.sku, 2)]


@pytest.mark.django_db
def test_stock_count_plan_tolerates_bom_tabs_and_quotes(shelf):
    _north, _south, a, _b, _c = shelf
    text = '\ufeffStore Code\tSKU or barcode\tCounted quantity\n"north"\t"' + a.sku + '"\t"6.0"\n'
    plan = stock_count_plan(data=text.encode("utf-8"))
    assert plan.is_valid, plan.problems
    assert plan.rows[0].counted == 6


@pytest.mark.django_db
def test_stock_count_plan_names_every_bad_line(shelf):
    north, _south, a, b, c = shelf
    services.stock_reserve(store=north, variant=b, quantity=2)
    plan = stock_count_plan(
        data=csv_for(
            [
                ("north", a.sku, 4),  # row 2: fine
                ("nowhere", a.sku, 1),  # row 3: unknown store
                ("north", "NO-SUCH", 1),  # row 4: unknown SKU
                ("north", c.sku, "-1"),  # row 5: negative
                ("north", c.sku, "2.5"),  # row 6: not whole
                ("north", c.sku, "many"),  # row 7: not a number
                ("north", b.sku, 1),  # row 8: below the 2 reserved
                ("north", a.barcode, 4),  # row 9: same size as row 2
                ("north", "7.29012E+12", 1),  # row 10: a barcode Excel mangled
                ("north", c.sku, ""),  # row 11: missing
            ]
        )
    )
    assert not plan.is_valid
    assert [(p.line, p.field) for p in plan.problems] == [
        (3, "store"),
        (4, "sku"),
        (5, "counted"),
        (6, "counted"),
        (7, "counted"),
        (8, "counted"),
        (9, "sku"),
        (10, "barcode"),
        (11, "counted"),
    ]
    messages = {p.line: p.message for p in plan.problems}
    assert "nowhere" in messages[3] and "NO-SUCH" in messages[4]
    assert a.barcode not in messages[9] and a.sku in messages[9] and "2" in messages[9]
    assert "1" in messages[8] and "2" in messages[8]  # counted 1, 2 held for customers


@pytest.mark.django_db
def test_stock_count_plan_without_the_columns_is_refused(shelf):
    with pytest.raises(CountFileError) as info:
        stock_count_plan(data="name,price\nx,1\n")
    assert "name, price" in info.value.message  # what was found instead


# --- The command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_stock_count_dry_run_shows_differences_and_writes_nothing(shelf, tmp_path):
    north, south, a, b, c = shelf
    before = StockMovement.objects.count()
    path = write(
        tmp_path,
        csv_for([("north", a.sku, 5), ("north", b.sku, 0), ("south", c.sku, 3)]),
        name="ספירת מלאי.csv",
    )
    out, _err = run(path, "--dry-run")
    assert "ספירת מלאי.csv: 3 lines, 2 differ" in out
    assert f"north  {b.sku}" in out and "-2" in out and "+3" in out
    assert "Dry run" in out
    assert StockMovement.objects.count() == before
    assert level(north, b) == 2 and level(south, c) == 0


@pytest.mark.django_db
def test_import_stock_count_applies_one_movement_per_changed_line(shelf, tmp_path):
    north, south, a, b, c = shelf
    before = StockMovement.objects.count()
    path = write(
        tmp_path,
        csv_for(
            [("north", a.sku, 5), ("north", b.sku, 0), ("south", c.sku, 3), ("south", a.sku, 4)]
        ),
    )
    out, err = run(path, "--chunk-size", 2)
    assert "Applied 3 count movements; 1 lines already matched." in out
    assert "Applying" in err  # the progress bar
    assert StockMovement.objects.count() == before + 3
    counts = StockMovement.objects.filter(reason=StockMovement.Reason.COUNT)
    assert sorted(counts.values_list("delta", flat=True)) == [-2, 3, 3]
    assert {m.reference for m in counts} == {"count file count.csv"}
    assert (level(north, a), level(north, b), level(south, c), level(south, a)) == (5, 0, 3, 4)
    for store, variant in ((north, b), (south, c), (south, a)):
        assert ledger(store, variant) == level(store, variant)


@pytest.mark.django_db
def test_import_stock_count_invalid_line_applies_nothing(shelf, tmp_path):
    north, _south, a, b, _c = shelf
    before = StockMovement.objects.count()
    path = write(
        tmp_path, csv_for([("north", a.sku, 9), ("north", "NO-SUCH", 1), ("north", b.sku, "x")])
    )
    with pytest.raises(CommandError, match="nothing was applied"):
        run(path)
    assert StockMovement.objects.count() == before
    assert level(north, a) == 5


@pytest.mark.django_db
def test_import_stock_count_lists_each_bad_row(shelf, tmp_path):
    _north, _south, a, _b, _c = shelf
    path = write(tmp_path, csv_for([("north", "NO-SUCH", 1), ("nowhere", a.sku, 1)]))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_stock_count", str(path), stdout=StringIO(), stderr=err)
    assert "row 2, sku:" in err.getvalue() and "row 3, store:" in err.getvalue()


@pytest.mark.django_db
def test_import_stock_count_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.csv")


@pytest.mark.django_db
def test_stock_count_import_rechecks_under_the_lock(shelf):
    north, _south, a, b, _c = shelf
    plan = stock_count_plan(data=csv_for([("north", a.sku, 3), ("north", b.sku, 2)]))
    services.stock_sell(store=north, variant=a, quantity=2)  # a: 5 → 3, now matches
    services.stock_sell(store=north, variant=b, quantity=1)  # b: 2 → 1, now differs
    movements = stock_count_import(plan=plan)
    assert [(m.variant_id, m.delta) for m in movements] == [(b.pk, 1)]
    assert (level(north, a), level(north, b)) == (3, 2)


# --- The admin upload ----------------------------------------------------------------------------

URL = "/admin/inventory/stocklevel/import-count/"


@pytest.fixture
def admin_client(client, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def upload(client, text, name="count.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


@pytest.mark.django_db
def test_admin_stock_level_list_links_to_the_import(admin_client):
    response = admin_client.get(reverse("admin:inventory_stocklevel_changelist"))
    assert URL.encode() in response.content


@pytest.mark.django_db
def test_admin_count_upload_previews_then_applies(admin_client, shelf):
    north, south, a, b, c = shelf
    before = StockMovement.objects.count()
    response = upload(
        admin_client, csv_for([("north", a.sku, 5), ("north", b.sku, 4), ("south", c.sku, 1)])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "count-differences" in page and b.sku in page and c.sku in page
    assert StockMovement.objects.count() == before  # a preview writes nothing
    digest = response.context["digest"]

    response = admin_client.post(URL, {"apply": "1", "digest": digest}, follow=True)
    assert response.redirect_chain[-1][0].endswith("/admin/inventory/stocklevel/")
    assert StockMovement.objects.count() == before + 2
    assert (level(north, b), level(south, c)) == (4, 1)
    assert any("2" in str(m) for m in response.context["messages"])

    # The same confirmation again finds nothing pending: no second application.
    admin_client.post(URL, {"apply": "1", "digest": digest})
    assert StockMovement.objects.count() == before + 2


@pytest.mark.django_db
def test_admin_count_upload_with_a_bad_line_offers_no_apply(admin_client, shelf):
    _north, _south, a, _b, _c = shelf
    response = upload(admin_client, csv_for([("north", a.sku, 1), ("north", "NO-SUCH", 2)]))
    page = response.content.decode()
    assert "count-problems" in page and "NO-SUCH" in page
    assert 'name="apply"' not in page
    before = StockMovement.objects.count()
    admin_client.post(URL, {"apply": "1", "digest": response.context["digest"]})
    assert StockMovement.objects.count() == before


@pytest.mark.django_db
def test_admin_count_upload_unreadable_file_is_a_form_error(admin_client):
    response = upload(admin_client, "hello\n")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_admin_count_upload_refused_without_permission(client, shelf):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_admin_count_upload_store_manager_counts_only_their_store(client, shelf):
    north, south, a, _b, _c = shelf
    manager = UserFactory(is_staff=True)
    manager.user_permissions.add(
        Permission.objects.get(codename="adjust_stock"),
        Permission.objects.get(codename="view_stocklevel"),
    )
    StaffProfile.objects.create(user=manager, home_store=north)
    client.force_login(manager)
    assert URL.encode() in client.get(reverse("admin:inventory_stocklevel_changelist")).content
    response = upload(client, csv_for([("north", a.sku, 2), ("south", a.sku, 2)]))
    problems = response.context["plan"].problems
    assert [(p.line, p.field) for p in problems] == [(3, "store")]


# --- Till keys in the admin ----------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_add_till_token_shows_the_key_once(admin_client, store):
    response = admin_client.post(
        reverse("admin:inventory_tilltoken_add"), {"store": store.pk, "name": "Front till"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw_key = response.context["raw_key"]
    token = TillToken.objects.get(name="Front till")
    assert till_authenticate(raw_key=raw_key) == token
    assert raw_key not in token.key_hash
    page = admin_client.get(reverse("admin:inventory_tilltoken_change", args=[token.pk]))
    assert raw_key.encode() not in page.content


@pytest.mark.django_db
def test_admin_revoke_action_stops_the_key(admin_client, store):
    from inventory.tills import till_token_create

    token, raw_key = till_token_create(store=store, name="T")
    admin_client.post(
        reverse("admin:inventory_tilltoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert till_authenticate(raw_key=raw_key) is None
