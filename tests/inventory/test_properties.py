"""Random sequences of stock operations keep every invariant of the ledger after each step.

A small model of each level predicts whether an operation may succeed; the service must agree,
and a refusal (a `StockError`) must leave the database exactly as it was.
"""

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from inventory import services
from inventory.models import StockLevel, StockMovement
from inventory.services import StockChange
from tests.factories import StoreFactory, VariantFactory

Reason = StockMovement.Reason
quantities = st.integers(min_value=1, max_value=6)
KEYS: list[tuple[int, int]] = []  # (store_id, variant_id) pairs, set by the test
keys = st.sampled_from(range(4)).map(lambda i: KEYS[i])


class StockLedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        StockMovement.objects.all().delete()
        StockLevel.objects.all().delete()
        self.model: dict[tuple[int, int], tuple[int, int]] = dict.fromkeys(KEYS, (0, 0))

    def _snapshot(self) -> tuple[list[tuple[int, int, int, int]], int]:
        levels = sorted(
            StockLevel.objects.values_list("store_id", "variant_id", "on_hand", "reserved")
        )
        return levels, StockMovement.objects.count()

    def _attempt(self, changes: list[StockChange], allowed: bool) -> None:
        """Run a batch; it must succeed exactly when the model allows it."""
        before = None if allowed else self._snapshot()
        try:
            services.stock_apply(changes=changes)
        except services.StockError:
            assert not allowed, f"refused a valid batch {changes}"
            assert self._snapshot() == before, "a refused batch changed the database"
            return
        assert allowed, f"accepted an invalid batch {changes}"
        self._apply(changes)

    def _apply(self, changes: list[StockChange]) -> None:
        for change in changes:
            on_hand, reserved = self.model[change.key]
            if change.set_on_hand is not None:
                on_hand = change.set_on_hand
            self.model[change.key] = (on_hand + change.delta, reserved + change.reserve)

    def _valid(self, changes: list[StockChange]) -> bool:
        model = dict(self.model)
        for change in changes:
            on_hand, reserved = model[change.key]
            if change.set_on_hand is not None:
                on_hand = change.set_on_hand
            on_hand, reserved = on_hand + change.delta, reserved + change.reserve
            if on_hand < 0 or reserved < 0 or reserved > on_hand:
                return False
            model[change.key] = (on_hand, reserved)
        return True

    def _single(self, change: StockChange) -> None:
        self._attempt([change], self._valid([change]))

    @rule(key=keys, quantity=quantities)
    def receive(self, key, quantity):
        self._single(StockChange(*key, reason=Reason.RECEIPT, delta=quantity))

    @rule(key=keys, quantity=quantities)
    def sell(self, key, quantity):
        self._single(StockChange(*key, reason=Reason.SALE, delta=-quantity))

    @rule(key=keys, quantity=quantities)
    def return_(self, key, quantity):
        self._single(StockChange(*key, reason=Reason.RETURN, delta=quantity))

    @rule(key=keys, counted=st.integers(min_value=0, max_value=12))
    def count(self, key, counted):
        self._single(StockChange(*key, reason=Reason.COUNT, set_on_hand=counted))

    @rule(key=keys, delta=st.integers(min_value=-6, max_value=6).filter(bool))
    def adjust(self, key, delta):
        self._single(StockChange(*key, reason=Reason.ADJUSTMENT, delta=delta))

    @rule(key=keys, quantity=quantities)
    def reserve(self, key, quantity):
        self._single(StockChange(*key, reserve=quantity))

    @rule(key=keys, quantity=quantities)
    def release(self, key, quantity):
        self._single(StockChange(*key, reserve=-quantity))

    @rule(
        lines=st.lists(
            st.tuples(keys, st.integers(min_value=-4, max_value=4)), min_size=2, max_size=4
        )
    )
    def till_batch(self, lines):
        changes = [
            StockChange(*key, reason=Reason.SALE if delta < 0 else Reason.RECEIPT, delta=delta)
            for key, delta in lines
        ]
        self._attempt(changes, self._valid(changes))

    @invariant()
    def ledger_matches_every_level(self):
        sums = {
            (row["store_id"], row["variant_id"]): row["total"]
            for row in StockMovement.objects.values("store_id", "variant_id").annotate(
                total=Sum("delta")
            )
        }
        stored = {}
        for level in StockLevel.objects.all():
            key = (level.store_id, level.variant_id)
            assert level.on_hand >= 0
            assert 0 <= level.reserved <= level.on_hand
            assert sums.get(key, 0) == level.on_hand
            stored[key] = (level.on_hand, level.reserved)
        assert {key: stored.get(key, (0, 0)) for key in KEYS} == self.model


@pytest.mark.django_db
def test_stock_apply_random_operations_keep_the_ledger_invariants():
    stores = StoreFactory.create_batch(2)
    variants = VariantFactory.create_batch(2)
    KEYS[:] = [(store.pk, variant.pk) for store in stores for variant in variants]
    run_state_machine_as_test(
        StockLedgerMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
