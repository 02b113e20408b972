import pytest
from django.test import Client

from inventory.tills import till_token_create


@pytest.fixture
def till(store):
    token, raw_key = till_token_create(store=store, name="Till 1")
    token.raw_key = raw_key
    return token


@pytest.fixture
def api(till):
    return Client(headers={"authorization": f"Bearer {till.raw_key}"})
