import pytest

from inventory.events import stock_became_available


@pytest.fixture
def announced():
    """Every restock announcement sent during the test: (store id, variant id, available)."""
    seen: list[tuple[int, int, int]] = []

    def receiver(sender, store_id, variant_id, available, **kwargs):
        seen.append((store_id, variant_id, available))

    stock_became_available.connect(receiver)
    yield seen
    stock_became_available.disconnect(receiver)
