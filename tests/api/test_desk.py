"""The clerk opens the desk in a browser: the page, its script and its styles are served safely."""

from __future__ import annotations


def test_desk_page_and_assets_are_served(app_client):
    page = app_client.get("/", follow_redirects=True)
    assert page.status_code == 200 and "一窗受理" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    scripts = ""
    for name in ("core.js", "lists.js", "case.js", "after.js"):
        script = app_client.get(f"/desk/static/{name}")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert f"/desk/static/{name}" in page.text
        scripts += script.text
    assert "/api/v1/cases" in scripts and "innerHTML" not in scripts and "outerHTML" not in scripts
    assert app_client.get("/desk/static/desk.css").status_code == 200


def test_desk_assets_cannot_be_used_to_read_other_files(app_client):
    for name in ("../settings.py", "..%2Fsettings.py", "index.html.bak", "etc%2Fpasswd"):
        assert app_client.get(f"/desk/static/{name}").status_code == 404
