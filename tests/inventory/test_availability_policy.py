"""The availability policy (inventory.policy): its answers in Python and in SQL agree, the
warehouse keeps no safety stock wherever spare pairs are counted, and nothing else in the
project spells `on_hand - reserved`."""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from demand import services as demand
from inventory import policy
from inventory.models import StockLevel, Store
from inventory.selectors import transfer_sources
from tests.factories import (
    StoreFactory,
    VariantFactory,
    WaitlistEntryFactory,
    put_stock,
    staff_user,
)

ROOT = Path(django_settings.BASE_DIR)
POLICY = Path(policy.__file__).resolve()


@pytest.fixture
def stores():
    """A shop where customers wait (Tel Aviv), a shop that could send (Haifa), the warehouse."""
    return {
        "tlv": StoreFactory(code="tlv", latitude=Decimal("32.0853"), longitude=Decimal("34.7818")),
        "hfa": StoreFactory(code="hfa", latitude=Decimal("32.7940"), longitude=Decimal("34.9896")),
        "warehouse": StoreFactory(
            code="warehouse",
            is_warehouse=True,
            latitude=Decimal("31.9730"),
            longitude=Decimal("34.7925"),
        ),
    }


# --- Python values ---------------------------------------------------------------------------


def test_available_is_on_hand_less_reserved_never_negative():
    assert policy.available(on_hand=5, reserved=2) == 3
    assert policy.available(on_hand=2, reserved=2) == 0
    assert policy.available(on_hand=1, reserved=3) == 0


def test_safety_stock_shop_own_else_the_setting_warehouse_none(settings):
    settings.TRANSFER_SAFETY_STOCK = 2
    shop, own = Store(is_warehouse=False), Store(is_warehouse=False, safety_stock=0)
    # A safety stock typed on the warehouse is not kept either: its pairs exist to be sent.
    warehouse = Store(is_warehouse=True, safety_stock=4)

    assert [policy.safety_stock(s) for s in (shop, own, warehouse)] == [2, 0, 0]


def test_spare_beyond_safety_stock_and_waiting_list_never_negative(settings):
    settings.TRANSFER_SAFETY_STOCK = 1
    shop, warehouse = Store(is_warehouse=False), Store(is_warehouse=True)

    assert policy.spare(available=3, store=shop) == 2
    assert policy.spare(available=3, store=shop, waiting=1) == 1
    assert policy.spare(available=1, store=shop, waiting=2) == 0
    assert policy.spare(available=1, store=warehouse) == 1
    assert policy.spare(available=3, store=warehouse, waiting=1) == 2


def test_is_customer_store_open_shops_only():
    assert policy.is_customer_store(Store(is_active=True, is_warehouse=False))
    assert not policy.is_customer_store(Store(is_active=False, is_warehouse=False))
    assert not policy.is_customer_store(Store(is_active=True, is_warehouse=True))


# --- The same answers in SQL -----------------------------------------------------------------


@pytest.mark.django_db
def test_available_expression_and_in_stock_q_agree_with_available(stores):
    size = VariantFactory()
    put_stock(stores["tlv"], size, on_hand=3, reserved=1)
    put_stock(stores["hfa"], size, on_hand=2, reserved=2)
    levels = StockLevel.objects.filter(variant=size).annotate(n=policy.available_expression())

    assert {level.store.code: level.n for level in levels} == {
        level.store.code: level.available for level in levels
    }
    assert {level.store.code: level.n for level in levels} == {"tlv": 2, "hfa": 0}
    assert [lv.store.code for lv in StockLevel.objects.in_stock().filter(variant=size)] == ["tlv"]
    assert not StockLevel.objects.in_stock(at_least=3).filter(variant=size).exists()
    assert StockLevel.objects.in_stock(at_least=2).filter(variant=size).count() == 1


@pytest.mark.django_db
def test_spare_expression_and_has_spare_q_agree_with_spare(stores, settings):
    settings.TRANSFER_SAFETY_STOCK = 1
    size = VariantFactory()
    own = StoreFactory(safety_stock=3)
    put_stock(stores["tlv"], size, on_hand=1)  # keeps its one pair
    put_stock(stores["hfa"], size, on_hand=4, reserved=1)  # 3 available, 2 spare
    put_stock(stores["warehouse"], size, on_hand=1)  # keeps none: 1 spare
    put_stock(own, size, on_hand=3)  # keeps its own 3

    levels = StockLevel.objects.filter(variant=size).select_related("store")
    in_sql = {lv.store.code: lv.n for lv in levels.annotate(n=policy.spare_expression())}
    in_python = {
        lv.store.code: policy.spare(available=lv.available, store=lv.store) for lv in levels
    }
    with_spare = {lv.store.code for lv in levels.filter(policy.has_spare_q())}

    assert in_sql == in_python == {"tlv": 0, "hfa": 2, "warehouse": 1, own.code: 0}
    assert with_spare == {"hfa", "warehouse"}


@pytest.mark.django_db
def test_customer_store_q_leaves_out_the_warehouse_and_closed_stores(stores):
    closed = StoreFactory(is_active=False)
    size = VariantFactory()
    for store in [*stores.values(), closed]:
        put_stock(store, size, on_hand=1)

    shops = set(Store.objects.for_customers())
    levels = {level.store for level in StockLevel.objects.at_customer_stores()}

    assert shops == levels == {stores["tlv"], stores["hfa"]}
    assert shops == {s for s in Store.objects.all() if policy.is_customer_store(s)}
    assert set(Store.objects.for_staff()) == set(stores.values())


# --- Every room counts spare pairs the same way -----------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["warehouse", "hfa"])
def test_spare_suggested_transfers_and_transfer_sources_agree(stores, settings, source):
    """The finder's sources (and "bring it to my store") and the suggested transfers offer as
    many pairs from a store: the warehouse its every available pair, a shop those beyond its
    safety stock."""
    settings.TRANSFER_SAFETY_STOCK = 1
    size = VariantFactory()
    put_stock(stores[source], size, on_hand=3)
    WaitlistEntryFactory.create_batch(5, store=stores["tlv"], variant=size)

    [offered] = transfer_sources(variant_id=size.pk, destination=stores["tlv"])
    [suggestion] = demand.transfer_suggestions_refresh()

    assert offered.store == suggestion.from_store == stores[source]
    assert suggestion.entries.count() == offered.spare == {"warehouse": 3, "hfa": 2}[source]


@pytest.mark.django_db
def test_transfer_suggestion_approve_sends_every_available_pair_from_the_warehouse(
    stores, settings
):
    settings.TRANSFER_SAFETY_STOCK = 1
    size = VariantFactory()
    put_stock(stores["warehouse"], size, on_hand=2)
    WaitlistEntryFactory.create_batch(3, store=stores["tlv"], variant=size)
    [suggestion] = demand.transfer_suggestions_refresh()

    transfers = demand.transfer_suggestion_approve(
        suggestion=suggestion, user=staff_user("Store managers", stores["tlv"])
    )

    assert [t.from_store for t in transfers] == [stores["warehouse"]] * 2
    assert StockLevel.objects.get(store=stores["warehouse"], variant=size).available == 0


# --- Nobody else spells it -------------------------------------------------------------------

_ON_HAND, _RESERVED = "on_hand", "reserved"
_LOOKUP = re.compile(r"^(?:\w+__)?(on_hand|reserved)(?:__(?:exact|gt|gte|lt|lte))?$")
# SQL in a string: one counter subtracted from or compared with the other.
_SQL = re.compile(
    r"on_hand\s*(?:-|<=?|>=?|=)\s*[\w.\"{}]*reserved"
    r"|reserved\s*(?:-|<=?|>=?|=)\s*[\w.\"{}]*on_hand"
)
# A template tag or variable that feeds one counter to a filter along with the other.
_TEMPLATE = re.compile(
    r"\{[{%][^}%]*(?:on_hand[^}%]*\|\s*\w+\s*:[^}%]*reserved"
    r"|reserved[^}%]*\|\s*\w+\s*:[^}%]*on_hand)"
)


def _mentions(node: ast.AST, field: str) -> bool:
    """Whether an expression reads the stock counter `field`: a name or attribute with it in
    its name (`on_hand`, `level.on_hand`, `new_on_hand`) or `F("on_hand")`."""
    for child in ast.walk(node):
        name = (
            child.id
            if isinstance(child, ast.Name)
            else child.attr
            if isinstance(child, ast.Attribute)
            else child.value
            if isinstance(child, ast.Constant) and isinstance(child.value, str)
            else ""
        )
        if field in name.split("__")[-1]:
            return True
    return False


def availability_spellings(source: str) -> list[str]:
    """Where Python source works out what is available itself: `on_hand - reserved` in any
    form, a lookup comparing one counter with the other (`on_hand__gt=F("reserved")`), or
    SQL written in a string (`level.on_hand - level.reserved`). As "line: what"."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    # The database's own invariant (`0 <= reserved <= on_hand`) is the model's to state.
    constraints = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("CheckConstraint")
        for inner in ast.walk(node)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in constraints:
            continue
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            a, b = node.left, node.right
            if (_mentions(a, _ON_HAND) and _mentions(b, _RESERVED)) or (
                _mentions(a, _RESERVED) and _mentions(b, _ON_HAND)
            ):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.keyword) and node.arg and (match := _LOOKUP.match(node.arg)):
            other = _RESERVED if match.group(1) == _ON_HAND else _ON_HAND
            if _mentions(node.value, other):
                found.append(f"{node.value.lineno}: {node.arg}={ast.unparse(node.value)}")
        elif isinstance(node, ast.JoinedStr) and _SQL.search(text := _text_of(node)):
            found.append(f"{node.lineno}: {text.strip()[:60]!r}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and _SQL.search(node.value)
        ):
            found.append(f"{node.lineno}: {node.value.strip()[:60]!r}")
    return sorted(found, key=lambda line: int(line.split(":")[0]))


def _text_of(node: ast.JoinedStr) -> str:
    """An f-string's text, each replacement field as `{}`."""
    return "".join(
        part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
        for part in node.values
    )


def customer_store_spellings(source: str) -> list[str]:
    """Calls that spell "a customer store" themselves: `is_active` and `is_warehouse` lookups
    side by side (`filter(store__is_active=True, store__is_warehouse=False)`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            names = {kw.arg.split("__")[-1] for kw in node.keywords if kw.arg}
            if {"is_active", "is_warehouse"} <= names:
                found.append(f"{node.lineno}: {ast.unparse(node)[:60]}")
    return found


def _project_files(suffix: str) -> list[Path]:
    skipped = {"migrations", "node_modules", "__pycache__"}
    return sorted(
        path
        for path in ROOT.rglob(f"*{suffix}")
        if not any(part.startswith(".") or part in skipped for part in path.relative_to(ROOT).parts)
        and path.relative_to(ROOT).parts[0] != "tests"
    )


def test_availability_spellings_finds_each_form_in_a_sample():
    sample = """
level.on_hand - level.reserved
on_hand[key] - levels[key].reserved
new_on_hand - new_reserved
F("on_hand") - F("reserved")
StockLevel.objects.filter(on_hand__gt=F("reserved"))
StockLevel.objects.filter(store=s, on_hand__gte=F("reserved") + 3)
Q(reserved__lt=F("on_hand"))
SQL = "SELECT SUM(level.on_hand - level.reserved) FROM t WHERE level.on_hand > level.reserved"
WHERE = f"{alias}.on_hand > {alias}.reserved"
"""
    clean = '''
"""Docstring: available is on_hand - reserved, says the prose."""
delta = change.set_on_hand - on_hand
held = state[key][1] - level.reserved
StockLevel.objects.filter(on_hand__gt=0, reserved__gt=0)
models.CheckConstraint(condition=Q(reserved__lte=F("on_hand")), name="reserved_within_on_hand")
'''
    assert [line.split(":")[0] for line in availability_spellings(sample)] == [
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
    ]
    assert availability_spellings(clean) == []


def test_available_is_worked_out_only_by_the_policy():
    files = _project_files(".py")
    assert POLICY in files and len(files) > 100  # the walk sees the project
    assert availability_spellings(POLICY.read_text())  # and recognises the real spelling

    elsewhere = {
        str(path.relative_to(ROOT)): spellings
        for path in files
        if path != POLICY and (spellings := availability_spellings(path.read_text()))
    }

    assert elsewhere == {}, "Ask inventory.policy instead of working out what is available"


def test_customer_stores_are_spelled_only_by_the_policy():
    sample = "StockLevel.objects.filter(store__is_active=True, store__is_warehouse=False)"
    assert customer_store_spellings(sample)
    assert not customer_store_spellings("Store.objects.filter(is_active=True)")

    elsewhere = {
        str(path.relative_to(ROOT)): spellings
        for path in _project_files(".py")
        if path != POLICY and (spellings := customer_store_spellings(path.read_text()))
    }

    assert elsewhere == {}, "Ask inventory.policy (or Store.objects.for_customers())"


def test_templates_do_not_work_out_what_is_available():
    assert _TEMPLATE.search("{{ level.on_hand|add:level.reserved }}")
    assert not _TEMPLATE.search("{{ size.available }} {{ cell.reserved }}")
    templates = _project_files(".html")
    assert templates

    offending = [
        str(path.relative_to(ROOT)) for path in templates if _TEMPLATE.search(path.read_text())
    ]

    assert offending == []
