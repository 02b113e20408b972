import pytest

from inventory.events import stock_became_available

# Stores in real cities, a warehouse and one shoe in two sizes (customers' own requests).
from tests.inventory.views.conftest import shop  # noqa: F401


@pytest.fixture
def announced():
    """Every restock announcement sent during the test: (store id, variant id, available)."""
    seen: list[tuple[int, int, int]] = []

    def receiver(sender, store_id, variant_id, available, **kwargs):
        seen.append((store_id, variant_id, available))

    stock_became_available.connect(receiver)
    yield seen
    stock_became_available.disconnect(receiver)
