"""Log in to a running Passerelle with Mastodon.py, as a client app would.

Usage: mastodon_py_login.py BASE_URL LOGIN PASSWORD

Registers an app, runs the authorization-code flow (the "browser" step is done
with requests against the real login page), then uses the token.
"""

import html
import re
import sys
from urllib.parse import parse_qsl, urlparse

import requests
from mastodon import Mastodon, MastodonUnauthorizedError

OOB = "urn:ietf:wg:oauth:2.0:oob"
SCOPES = ["read", "write", "follow", "push"]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def log_in(base, login, password, app_name="Mastodon.py test"):
    """A logged-in client: app registered, authorization-code flow through the
    real login page (the "browser" is requests), token obtained."""
    client_id, client_secret = Mastodon.create_app(
        app_name, api_base_url=base, redirect_uris=OOB, scopes=SCOPES
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)

    # The version check must accept our compatibility string.
    if not api.verify_minimum_version("4.2.0", cached=True):
        fail(f"server version not accepted: {api.retrieve_mastodon_version()}")

    url = api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, state="s1", allow_http=True)
    page = requests.get(url, timeout=10)
    if page.status_code != 200 or app_name not in page.text:
        fail(f"login page: {page.status_code}")
    form = dict(parse_qsl(urlparse(url).query))
    form.update({"login": login, "password": password, "decision": "approve"})
    answer = requests.post(base + "/oauth/authorize", data=form, timeout=10, allow_redirects=False)
    match = re.search(r'<code id="code">([^<]+)</code>', answer.text)
    if answer.status_code != 200 or not match:
        fail(f"no code shown: {answer.status_code} {answer.text[:200]}")
    code = html.unescape(match.group(1))
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    return api


def main():
    base, login, password = sys.argv[1:4]
    api = log_in(base, login, password)
    me = api.account_verify_credentials()
    if me.username != login or me.acct != login:
        fail(f"verify_credentials: {me}")
    again = api.account_lookup(login)
    if again.id != me.id:
        fail("lookup returned another account")
    instance = api.instance()
    if not instance.title:
        fail("instance has no title")
    prefs = api.preferences()
    if prefs["posting:default:visibility"] != "public":
        fail(f"preferences: {prefs}")
    app = api.app_verify_credentials()
    if app.name != "Mastodon.py test":
        fail(f"app: {app}")

    api.revoke_access_token(allow_http=True)
    try:
        api.account_verify_credentials()
        fail("a revoked token still works")
    except MastodonUnauthorizedError:
        pass
    print("mastodon.py: login, verify_credentials, lookup, instance, preferences, revoke: ok")


if __name__ == "__main__":
    main()
