import pytest

from reviews.embeds import video_embed_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?t=30", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&list=x",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_video_embed_url_recognises_watch_urls(url, expected):
    assert video_embed_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.runnersworld.com/gear/a1234/best-running-shoes/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/@channel",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_video_embed_url_rejects_everything_else(url):
    assert video_embed_url(url) is None
