"""Every page carries the security headers a browser enforces."""

import pytest


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_permissions_policy(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert "'unsafe-inline'" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
