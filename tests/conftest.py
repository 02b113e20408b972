import pytest

from tests.factories import ProductFactory, StoreFactory, VariantFactory


@pytest.fixture
def store(db):
    return StoreFactory()


@pytest.fixture
def variant(db):
    return VariantFactory(product=ProductFactory())
