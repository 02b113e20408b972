import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """A request under /en/ leaves English active in this thread after the response; put the
    default back so a later test's reverse() is not English by accident."""
    yield
    translation.deactivate()
