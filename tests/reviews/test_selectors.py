import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reviews.models import ReviewLink
from reviews.selectors import product_reviews
from tests.factories import ProductFactory, ReviewLinkFactory, ReviewSourceFactory

pytestmark = pytest.mark.django_db


def test_product_reviews_featured_first_then_page_language_first():
    product = ProductFactory()
    english = ReviewLinkFactory(product=product, language="en", position=0)
    hebrew = ReviewLinkFactory(product=product, language="he", position=5)
    featured = ReviewLinkFactory(product=product, language="en", is_featured=True)
    video = ReviewLinkFactory(
        product=product, kind="video", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    with translation.override("he"):
        reviews = product_reviews(product=product)
    assert reviews.featured == [featured]
    assert reviews.articles == [hebrew, english]
    assert reviews.videos == [video]
    with translation.override("en"):
        assert product_reviews(product=product).articles == [english, hebrew]


def test_product_reviews_hides_inactive_sources_and_other_products():
    product = ProductFactory()
    ReviewLinkFactory(product=product, source=ReviewSourceFactory(is_active=False))
    ReviewLinkFactory()
    assert not product_reviews(product=product)


def test_product_reviews_runs_one_query(django_assert_num_queries):
    product = ProductFactory()
    ReviewLinkFactory.create_batch(5, product=product)
    with django_assert_num_queries(1):
        reviews = product_reviews(product=product)
        assert [link.source.name for link in reviews.articles]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"url": "http://insecure.example.com/review"}, "url"),
        ({"kind": "video", "url": "https://example.com/not-a-video"}, "url"),
        ({"score": 9}, "score_scale"),
        ({"score": 11, "score_scale": 10}, "score"),
    ],
)
def test_review_link_validation_refuses_bad_links(fields, error_field):
    link = ReviewLinkFactory.build(product=ProductFactory(), source=ReviewSourceFactory(), **fields)
    with pytest.raises(ValidationError) as info:
        link.full_clean()
    assert error_field in info.value.message_dict


def test_review_link_video_embed_only_for_videos():
    link = ReviewLink(kind="article", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert link.embed_url is None
    link.kind = "video"
    assert link.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
