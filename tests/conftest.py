import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core.tasks import broker
from tests.factories import ProductFactory, StoreFactory, VariantFactory


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request to an /en/ page (or an
    override left open) in one test must not make the next one reverse English URLs."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached. Inside a test's transaction nothing commits, so the
    versions of cached pages (core.versions) move only where a test runs the commit callbacks
    (`django_capture_on_commit_callbacks(execute=True)`) or commits for real."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _broker_not_known_down():
    """A broker one test found down (`core.tasks`) is tried again by the next."""
    broker.reset()
    yield


@pytest.fixture
def store(db):
    return StoreFactory()


@pytest.fixture
def variant(db):
    return VariantFactory(product=ProductFactory())
