"""Kept values and their versions (`core.versions`): a value is served while the versions it
was built under stand, and one page's request reads each version once (`read_once`)."""

import pytest

from core import versions
from core.versions import CATALOG, cached, current, read_once, stock_of


@pytest.fixture
def reads(monkeypatch):
    """The names each round trip to the versions' store asked for."""
    asked: list[list[str]] = []
    get_many = versions._versions.get_many

    def counted(keys):
        asked.append(list(keys))
        return get_many(keys)

    monkeypatch.setattr(versions._versions, "get_many", counted)
    return asked


def test_cached_serves_the_value_until_a_version_it_read_is_new():
    built = []

    def build(depends):
        depends.on(CATALOG, stock_of(7))
        built.append(len(built) + 1)
        return built[-1]

    assert cached("test:value", build) == 1
    assert cached("test:value", build) == 1
    versions._bump([stock_of(7)])
    assert cached("test:value", build) == 2


def test_read_once_reads_each_version_once_and_the_next_block_sees_a_bump(reads):
    current(CATALOG, stock_of(1), stock_of(2))  # every version there already
    reads.clear()
    with read_once():
        first = current(CATALOG, stock_of(1))
        versions._bump([CATALOG])  # a write commits while the page is put together
        assert current(CATALOG) == first[:1]  # the block goes on with what it read
        current(stock_of(1), stock_of(2))
    # Only the names not read yet went to the store the second time.
    assert [key for keys in reads for key in keys] == [
        "version:catalog",
        "version:stock:1",
        "version:stock:2",
    ]
    assert current(CATALOG) != first[:1]  # the next request sees the write


def test_a_page_put_together_from_kept_parts_reads_the_catalogue_version_once(reads):
    def part(name):
        def build(depends):
            depends.on(CATALOG)
            return name

        return build

    current(CATALOG)  # the catalogue's version there already
    reads.clear()
    with read_once():
        assert [cached(f"test:{name}", part(name)) for name in ("a", "b", "c")] == ["a", "b", "c"]
    assert sum(keys.count("version:catalog") for keys in reads) == 1
