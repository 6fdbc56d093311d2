"""The web interface's main journeys in a real headless Chromium (Debian's),
driven by Playwright, with an axe-core accessibility scan of each main page.

Usage: journeys.py BASE_URL SCREENSHOT_DIR ALICE_PASSWORD BOB_PASSWORD
Prints "ok" at the end; on failure, the screenshots taken so far are listed.
"""

import os
import struct
import sys
import zlib

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

BASE, SHOTS, ALICE_PW, BOB_PW = sys.argv[1:5]
CHROMIUM = os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium")
expect.set_options(timeout=10_000)
axe = Axe()
taken = []
problems = []


def shot(page, name):
    path = os.path.join(SHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    taken.append(path)


def scan(page, name):
    """No serious or critical accessibility violation on the page."""
    shot(page, name)
    results = axe.run(page)
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [n["target"] for n in v["nodes"]][:3]
            problems.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} at {targets}")


def png(path, w=48, h=32):
    """A small valid PNG (no imaging library needed)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"".join(bytes([x * 5 % 256, y * 7 % 256, 90]) for x in range(w)) for y in range(h))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)
    return path


def sign_in(page, login, password):
    page.goto(BASE + "/")
    scan(page, f"landing-{login}")
    page.get_by_label("Name or e-mail").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="News feed")).to_be_visible()


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        alice = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900}).new_page()
        # Bob reads on a phone-sized screen.
        bob = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}).new_page()

        sign_in(alice, "alice", ALICE_PW)
        scan(alice, "home")

        # Alice creates a community from the directory.
        alice.get_by_role("link", name="Communities").first.click()
        alice.get_by_label("Short name").fill("launch")
        alice.get_by_label("Title", exact=True).fill("Product launch")
        alice.get_by_role("button", name="Create").click()
        expect(alice.get_by_role("heading", name="Product launch")).to_be_visible()
        scan(alice, "community")

        # Bob finds it and joins, then starts a thread.
        sign_in(bob, "bob", BOB_PW)
        bob.goto(BASE + "/communities?q=launch")
        scan(bob, "directory")
        bob.get_by_role("button", name="Join").click()
        bob.goto(BASE + "/communities/launch")
        expect(bob.get_by_text("2 members")).to_be_visible()
        bob.get_by_label("Title", exact=True).fill("Launch checklist")
        bob.get_by_label("Text", exact=True).fill("What is **left** before Friday?")
        bob.get_by_text("Images", exact=True).click()
        bob.get_by_label("Image 1").set_input_files(png(os.path.join(SHOTS, "poster.png")))
        bob.get_by_label("Description").first.fill("The launch poster")
        bob.get_by_role("button", name="Publish the thread").click()
        expect(bob.get_by_role("heading", name="Launch checklist")).to_be_visible()
        expect(bob.get_by_role("img", name="The launch poster")).to_be_visible()
        thread_url = bob.url

        # Alice comments; the comment appears on Bob's open page without a
        # reload (live), and he likes it.
        alice.goto(thread_url)
        alice.get_by_label("Your reply").last.fill("The press kit")
        alice.get_by_role("button", name="Send").last.click()
        expect(alice.get_by_text("The press kit")).to_be_visible()
        scan(alice, "thread")
        comment = bob.locator("article.post", has_text="The press kit")
        expect(comment).to_be_visible()
        expect(bob.locator("#live-status")).to_have_text("A new comment has arrived.")
        shot(bob, "live-comment")
        comment.get_by_role("button", name="Like").click()
        comment = bob.locator("article.post", has_text="The press kit")
        expect(comment.get_by_role("button", name="Unlike")).to_have_attribute("aria-pressed", "true")
        shot(bob, "liked")

        # A moderator removes a post: Alice owns the community.
        bob.get_by_label("Your reply").last.fill("Off-topic: who has a charger?")
        bob.get_by_role("button", name="Send").last.click()
        alice.goto(thread_url)
        off_topic = alice.locator("article.post", has_text="who has a charger")
        expect(off_topic).to_be_visible()
        alice.once("dialog", lambda d: d.accept())
        off_topic.get_by_role("button", name="Delete").click()
        expect(alice.get_by_text("who has a charger")).to_have_count(0)
        alice.goto(BASE + "/communities/launch/moderation")
        scan(alice, "moderation")

        # Bob opens the community's library, makes a folder, uploads a file
        # into it with the form, opens it and adds a version by dropping a file
        # on the new-version form.
        bob.goto(BASE + "/communities/launch")
        bob.get_by_role("link", name="Library", exact=True).click()
        expect(bob.get_by_role("heading", name="Library of Product launch")).to_be_visible()
        bob.get_by_text("New folder", exact=True).click()
        bob.get_by_label("Folder name").fill("Press")
        bob.get_by_role("button", name="Create the folder").click()
        bob.get_by_role("link", name="Press", exact=True).click()
        expect(bob.get_by_role("navigation", name="Where you are in the library")).to_contain_text("Press")
        bob.get_by_label("File", exact=True).set_input_files(
            {"name": "release.txt", "mimeType": "text/plain", "buffer": b"Launch on Friday at nine."}
        )
        bob.get_by_label("Name (optional").fill("Press release")
        bob.get_by_role("button", name="Upload", exact=True).click()
        expect(bob.get_by_role("link", name="Press release", exact=True)).to_be_visible()
        expect(bob.locator("table.documents")).to_contain_text("25 B")
        scan(bob, "library")
        bob.get_by_role("link", name="Press release", exact=True).click()
        expect(bob.get_by_role("heading", name="Version history")).to_be_visible()
        expect(bob.locator("ol.versions li")).to_have_count(1)
        dropped = bob.evaluate_handle(
            """() => {
                const data = new DataTransfer();
                data.items.add(new File(["Launch on Friday at ten."], "release-v2.txt", { type: "text/plain" }));
                return data;
            }"""
        )
        bob.dispatch_event('form[action$="/versions"]', "drop", {"dataTransfer": dropped})
        expect(bob.locator("[data-chosen]")).to_have_text("File chosen: release-v2.txt")
        bob.get_by_role("button", name="Upload the new version").click()
        expect(bob.locator("ol.versions li")).to_have_count(2)
        expect(bob.locator("ol.versions")).to_contain_text("release-v2.txt")
        scan(bob, "document")

        # The administrator blocks a server and changes the accent colour.
        alice.goto(BASE + "/admin/federation")
        alice.get_by_label("List", exact=True).select_option("block")
        alice.get_by_label("Server", exact=True).fill("spam.example")
        alice.get_by_role("button", name="Add").click()
        expect(alice.get_by_role("cell", name="spam.example")).to_be_visible()
        scan(alice, "admin-federation")
        alice.goto(BASE + "/admin")
        alice.get_by_label("Accent colour", exact=True).fill("#0a7d44")
        alice.get_by_role("button", name="Save").click()
        expect(alice.get_by_role("status")).to_have_text("The settings are saved.")
        header = alice.locator("header.top")
        expect(header).to_have_css("background-color", "rgb(10, 125, 68)")
        scan(alice, "admin-settings")

        # Keyboard: the skip link is the first stop and leads to the content.
        alice.goto(BASE + "/")
        alice.keyboard.press("Tab")
        expect(alice.get_by_role("link", name="Skip to content")).to_be_focused()

        # Bob fills in the people directory; Alice finds him by a skill, then
        # asks who knows about it.
        bob.goto(BASE + "/settings")
        profile_form = bob.locator('form[action="/settings/profile"]')
        profile_form.get_by_label("Department", exact=True).fill("Engineering")
        profile_form.get_by_label("Skills", exact=True).fill("Rust, Kubernetes")
        profile_form.get_by_role("button", name="Save").click()
        alice.get_by_role("link", name="Directory", exact=True).click()
        expect(alice.get_by_role("heading", name="People directory")).to_be_visible()
        alice.get_by_label("Skills", exact=True).fill("kubernetes")
        alice.get_by_role("button", name="Search").click()
        expect(alice.get_by_role("link", name="bob", exact=True)).to_be_visible()
        expect(alice.locator("ul.people")).to_contain_text("Engineering")
        scan(alice, "people-directory")
        alice.get_by_role("link", name="Find an expert").click()
        alice.get_by_label("Question or skill").fill("Who knows Rust?")
        alice.get_by_role("button", name="Search").click()
        expect(alice.locator("ul.people")).to_contain_text("bob")
        scan(alice, "experts")

        # Bob chooses his e-mail: no mail for mentions, a daily digest; the
        # choice is kept.
        bob.goto(BASE + "/settings")
        mail_form = bob.locator('form[action="/settings/email/preferences"]')
        mail_form.get_by_label("mentions and replies").uncheck()
        mail_form.get_by_label("Digest").select_option("daily")
        mail_form.get_by_role("button", name="Save").click()
        mail_form = bob.locator('form[action="/settings/email/preferences"]')
        expect(mail_form.get_by_label("mentions and replies")).not_to_be_checked()
        expect(mail_form.get_by_label("Digest")).to_have_value("daily")
        expect(mail_form.get_by_label("direct messages")).to_be_checked()

        # Someone who forgot their password asks for a link from the sign-in page.
        visitor = browser.new_context(locale="en-US").new_page()
        visitor.goto(BASE + "/")
        visitor.get_by_role("link", name="Forgot your password?").click()
        expect(visitor.get_by_role("heading", name="Forgotten password")).to_be_visible()
        scan(visitor, "forgot-password")
        visitor.get_by_label("E-mail").fill("bob@example.com")
        visitor.get_by_role("button", name="Send the link").click()
        expect(visitor.get_by_role("heading", name="Check your e-mail")).to_be_visible()
        scan(visitor, "forgot-password-sent")

        # Alice switches to French in her settings.
        alice.goto(BASE + "/settings")
        scan(alice, "settings")
        alice.get_by_label("Français").check()
        alice.get_by_role("button", name="Save").first.click()
        expect(alice.get_by_role("heading", name="Réglages")).to_be_visible()
        alice.goto(BASE + "/")
        expect(alice.get_by_role("heading", name="Fil d'actualité")).to_be_visible()
        scan(alice, "home-fr")

        browser.close()
    if problems:
        raise AssertionError("accessibility:\n" + "\n".join(problems))
    print("ok")


try:
    main()
except Exception:
    print("screenshots:\n" + "\n".join(taken), file=sys.stderr)
    raise
