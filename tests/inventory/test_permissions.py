import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from inventory import permissions, services
from inventory.models import Hold, StockLevel, Transfer
from tests.factories import StoreFactory, UserFactory, role_group, staff_user

SALES = permissions.ROLE_SALESPEOPLE
MANAGERS = permissions.ROLE_STORE_MANAGERS
EDITORS = permissions.ROLE_CATALOG_EDITORS


def perms_of(group_name: str) -> set[str]:
    group = role_group(group_name)  # as the migrations made it, even after a table-emptying test
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.fixture
def store_a(db):
    return StoreFactory(name_en="Dizengoff")


@pytest.fixture
def store_b(db):
    return StoreFactory(name_en="Haifa")


@pytest.fixture
def stocked(store_a, store_b, variant):
    for store in (store_a, store_b):
        services.stock_receive(store=store, variant=variant, quantity=3)
    return variant


def transfer_between(variant, source, destination, **kwargs) -> Transfer:
    return services.transfer_request(
        variant=variant, from_store=source, to_store=destination, user=None, **kwargs
    )


# --- the roles migration -------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_roles_migration_creates_salespeople():
    perms = perms_of(SALES)
    assert {
        "catalog.view_product",
        "catalog.view_variant",
        "inventory.view_store",
        "inventory.view_stocklevel",
        "inventory.add_transfer",
        "inventory.view_transfer",
        "inventory.view_hold",
        "inventory.manage_holds",
    } <= perms
    # Salespeople pack and unpack the pairs: they dispatch and receive transfers (at their
    # own store, see inventory.permissions), but cancel only their own requests.
    assert {"inventory.dispatch_transfer", "inventory.receive_transfer"} <= perms
    assert not perms & {
        "inventory.change_transfer",
        "inventory.adjust_stock",
        "catalog.change_product",
    }


@pytest.mark.django_db
def test_staff_roles_migration_creates_store_managers():
    perms = perms_of(MANAGERS)
    assert perms_of(SALES) <= perms
    assert {
        "inventory.change_transfer",
        "inventory.change_hold",
        "inventory.view_inboundshipment",
        "inventory.change_inboundshipment",
        "inventory.adjust_stock",
        "inventory.dispatch_transfer",
        "inventory.receive_transfer",
        "inventory.manage_holds",
    } <= perms
    assert not perms & {
        "inventory.delete_transfer",
        "catalog.change_product",
        "inventory.view_all_stores",
    }


@pytest.mark.django_db
def test_staff_roles_migration_creates_catalog_editors():
    perms = perms_of(EDITORS)
    for model in ("brand", "category", "product", "productimage", "variant"):
        assert {f"catalog.add_{model}", f"catalog.change_{model}", f"catalog.view_{model}"} <= perms
    assert not any(p.startswith("inventory.") for p in perms)


@pytest.mark.django_db(transaction=True)
def test_role_group_rebuilt_for_transactional_tests_matches_migration():
    # Transactional tests empty the tables; the factory rebuilds the same group.
    group = role_group(MANAGERS)
    assert group.permissions.filter(codename="dispatch_transfer").exists()


# --- the helpers -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_home_store_from_profile(store_a):
    clerk = staff_user(SALES, store_a)
    assert permissions.user_home_store(clerk) == store_a
    assert permissions.user_home_store(UserFactory(is_staff=True)) is None


@pytest.mark.django_db
def test_salesperson_finds_stock_and_requests_any_transfer(store_a, store_b, stocked):
    clerk = staff_user(SALES, store_a)
    assert permissions.can_find_stock(clerk)
    assert permissions.can_request_transfer(clerk)
    transfer = transfer_between(stocked, store_b, StoreFactory())
    assert not permissions.can_dispatch_transfer(clerk, transfer)
    assert not permissions.can_receive_transfer(clerk, transfer)
    assert not permissions.can_view_transfer(clerk, transfer)
    assert permissions.can_manage_holds(clerk, store_a)  # hands pairs over at the counter
    assert not permissions.can_manage_holds(clerk, store_b)
    assert permissions.can_view_holds(clerk, store_a)
    assert not permissions.can_view_holds(clerk, store_b)


@pytest.mark.django_db
def test_salesperson_sees_and_cancels_own_request(store_a, store_b, stocked):
    clerk = staff_user(SALES, store_a)
    other = staff_user(SALES, StoreFactory())
    transfer = services.transfer_request(
        variant=stocked, from_store=store_b, to_store=StoreFactory(), user=clerk
    )
    assert permissions.can_view_transfer(clerk, transfer)
    assert permissions.can_cancel_transfer(clerk, transfer)
    assert not permissions.can_cancel_transfer(other, transfer)
    assert list(permissions.visible_transfers(clerk)) == [transfer]
    assert list(permissions.visible_transfers(other)) == []


@pytest.mark.django_db
def test_manager_dispatches_only_from_home_store(store_a, store_b, stocked):
    manager = staff_user(MANAGERS, store_a)
    outgoing = transfer_between(stocked, store_a, store_b)
    incoming = transfer_between(stocked, store_b, store_a)
    assert permissions.can_dispatch_transfer(manager, outgoing)
    assert not permissions.can_dispatch_transfer(manager, incoming)
    assert permissions.can_receive_transfer(manager, incoming)
    assert not permissions.can_receive_transfer(manager, outgoing)
    assert permissions.can_cancel_transfer(manager, outgoing)
    elsewhere = transfer_between(stocked, store_b, StoreFactory())
    assert not permissions.can_cancel_transfer(manager, elsewhere)
    assert set(permissions.visible_transfers(manager)) == {outgoing, incoming}


@pytest.mark.django_db
def test_manager_manages_own_store_only(store_a, store_b, stocked):
    manager = staff_user(MANAGERS, store_a)
    assert permissions.can_manage_store(manager, store_a)
    assert permissions.can_manage_holds(manager, store_a)
    assert permissions.can_see_customer_phone(manager, store_a)
    assert not permissions.can_manage_store(manager, store_b)
    assert not permissions.can_manage_holds(manager, store_b)
    assert not permissions.can_see_customer_phone(manager, store_b)
    assert list(permissions.stores_managed_by(manager)) == [store_a]
    here = services.hold_place(store=store_a, variant=stocked)
    services.hold_place(store=store_b, variant=stocked)
    assert list(permissions.visible_holds(manager)) == [here]


@pytest.mark.django_db
def test_manager_without_home_store_can_do_nothing_at_stores(store_a, stocked):
    manager = UserFactory(is_staff=True)
    manager.groups.add(role_group(MANAGERS))
    transfer = transfer_between(stocked, store_a, StoreFactory())
    assert not permissions.can_dispatch_transfer(manager, transfer)
    assert not permissions.can_manage_store(manager, store_a)
    assert list(permissions.stores_managed_by(manager)) == []


@pytest.mark.django_db
def test_superuser_may_do_everything(store_a, store_b, stocked):
    boss = UserFactory(is_staff=True, is_superuser=True)
    transfer = transfer_between(stocked, store_a, store_b)
    assert permissions.can_dispatch_transfer(boss, transfer)
    assert permissions.can_receive_transfer(boss, transfer)
    assert permissions.can_cancel_transfer(boss, transfer)
    assert permissions.can_manage_holds(boss, store_b)
    assert permissions.can_view_any_store(boss)
    assert set(permissions.stores_managed_by(boss)) >= {store_a, store_b}


@pytest.mark.django_db
def test_inactive_or_non_staff_accounts_may_do_nothing(store_a, store_b, stocked):
    gone = staff_user(MANAGERS, store_a, is_active=False)
    customer = staff_user(MANAGERS, store_a, is_staff=False)
    transfer = transfer_between(stocked, store_a, store_b)
    for user in (gone, customer):
        assert not permissions.can_find_stock(user)
        assert not permissions.can_dispatch_transfer(user, transfer)
        assert not permissions.can_manage_holds(user, store_a)


@pytest.mark.django_db
def test_catalog_editor_has_no_store_powers(store_a, stocked):
    editor = staff_user(EDITORS, store_a)
    assert not permissions.can_find_stock(editor)
    assert not permissions.can_request_transfer(editor)
    assert not permissions.can_manage_holds(editor, store_a)


# --- admin actions -----------------------------------------------------------------------------


def english(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


def run_action(client, user, model: str, action: str, objects) -> list[str]:
    client.force_login(user)
    response = client.post(
        english(f"admin:inventory_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )
    assert response.redirect_chain[0][1] == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_admin_dispatch_refused_for_manager_of_another_store(client, store_a, store_b, stocked):
    manager_b = staff_user(MANAGERS, store_b)
    # Manager B sees it (it comes to their store) but may not send it from store A.
    transfer = transfer_between(stocked, store_a, store_b)
    said = run_action(client, manager_b, "transfer", "dispatch_transfers", [transfer])
    assert any("source store" in text for text in said)
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.REQUESTED
    assert StockLevel.objects.get(store=store_a, variant=stocked).on_hand == 3


@pytest.mark.django_db
def test_admin_dispatch_and_receive_by_each_stores_manager(client, store_a, store_b, stocked):
    manager_a, manager_b = staff_user(MANAGERS, store_a), staff_user(MANAGERS, store_b)
    transfer = transfer_between(stocked, store_a, store_b)
    said = run_action(client, manager_a, "transfer", "dispatch_transfers", [transfer])
    assert said == ["1 transfer dispatched."]
    said = run_action(client, manager_a, "transfer", "receive_transfers", [transfer])
    assert any("destination store" in text for text in said)
    said = run_action(client, manager_b, "transfer", "receive_transfers", [transfer])
    assert said == ["1 transfer received."]
    transfer.refresh_from_db()
    assert (transfer.status, transfer.dispatched_by, transfer.received_by) == (
        Transfer.Status.RECEIVED,
        manager_a,
        manager_b,
    )
    assert StockLevel.objects.get(store=store_b, variant=stocked).on_hand == 4


@pytest.mark.django_db
def test_admin_cancel_dispatched_transfer_explains_refusal(client, store_a, store_b, stocked):
    manager_a = staff_user(MANAGERS, store_a)
    transfer = transfer_between(stocked, store_a, store_b)
    services.transfer_dispatch(transfer=transfer, user=manager_a)
    said = run_action(client, manager_a, "transfer", "cancel_transfers", [transfer])
    assert len(said) == 1 and "already left" in said[0]
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.DISPATCHED


@pytest.mark.django_db
def test_admin_salesperson_dispatches_only_from_own_store(client, store_a, store_b, stocked):
    clerk = staff_user(SALES, store_a)
    incoming = transfer_between(stocked, store_b, store_a)
    client.force_login(clerk)
    page = client.get(english("admin:inventory_transfer_changelist"))
    actions = [value for value, _label in page.context["action_form"].fields["action"].choices]
    assert "dispatch_transfers" in actions and "receive_transfers" in actions
    said = run_action(client, clerk, "transfer", "dispatch_transfers", [incoming])
    assert said == [f"{incoming}: only the staff of the source store can dispatch it."]
    assert Transfer.objects.get(pk=incoming.pk).status == Transfer.Status.REQUESTED


@pytest.mark.django_db
def test_admin_collect_and_release_holds_at_own_store_only(client, store_a, store_b, stocked):
    manager_a = staff_user(MANAGERS, store_a)
    here = services.hold_place(store=store_a, variant=stocked)
    also_here = services.hold_place(store=store_a, variant=stocked)
    there = services.hold_place(store=store_b, variant=stocked)
    said = run_action(client, manager_a, "hold", "collect_holds", [here])
    assert said == ["1 hold collected."]
    said = run_action(client, manager_a, "hold", "release_holds", [also_here])
    assert said == ["1 hold released."]
    # A hold at another store is not even listed for this manager, so it is not acted on.
    run_action(client, manager_a, "hold", "release_holds", [there])
    statuses = dict(Hold.objects.values_list("pk", "status"))
    assert statuses == {here.pk: "collected", also_here.pk: "released", there.pk: "active"}
    assert StockLevel.objects.get(store=store_a, variant=stocked).on_hand == 2


@pytest.mark.django_db
def test_admin_release_ended_hold_explains_refusal(client, store_a, stocked):
    manager_a = staff_user(MANAGERS, store_a)
    hold = services.hold_release(hold=services.hold_place(store=store_a, variant=stocked))
    said = run_action(client, manager_a, "hold", "release_holds", [hold])
    assert len(said) == 1 and "already ended" in said[0]


# --- the role matrix: who dispatches, receives and cancels ---------------------------------------


@pytest.mark.django_db
def test_can_dispatch_transfer_salesperson_of_source_store(store_a, store_b, stocked):
    packer = staff_user(SALES, store_a)
    transfer = transfer_between(stocked, store_a, store_b)
    assert permissions.can_dispatch_transfer(packer, transfer)
    assert not permissions.can_receive_transfer(packer, transfer)
    assert not permissions.can_dispatch_transfer(staff_user(SALES, store_b), transfer)
    assert not permissions.can_dispatch_transfer(staff_user(SALES, StoreFactory()), transfer)


@pytest.mark.django_db
def test_can_receive_transfer_salesperson_of_destination_store(store_a, store_b, stocked):
    unpacker = staff_user(SALES, store_b)
    transfer = transfer_between(stocked, store_a, store_b)
    assert permissions.can_receive_transfer(unpacker, transfer)
    assert not permissions.can_dispatch_transfer(unpacker, transfer)
    assert not permissions.can_receive_transfer(staff_user(SALES, store_a), transfer)


@pytest.mark.django_db
def test_can_cancel_transfer_salesperson_only_their_own_request(store_a, store_b, stocked):
    packer = staff_user(SALES, store_a)
    transfer = transfer_between(stocked, store_a, store_b)  # requested by nobody in particular
    assert not permissions.can_cancel_transfer(packer, transfer)
    assert permissions.can_cancel_transfer(staff_user(MANAGERS, store_a), transfer)
    assert permissions.can_cancel_transfer(staff_user(MANAGERS, store_b), transfer)


@pytest.mark.django_db
def test_can_dispatch_transfer_catalog_editor_never(store_a, store_b, stocked):
    editor = staff_user(EDITORS, store_a)
    transfer = transfer_between(stocked, store_a, store_b)
    assert not permissions.can_dispatch_transfer(editor, transfer)
    assert not permissions.can_cancel_transfer(editor, transfer)
