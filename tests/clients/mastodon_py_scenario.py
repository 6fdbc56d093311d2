"""A day with Mastodon.py against a running Passerelle, as two colleagues would.

Usage: mastodon_py_scenario.py BASE_URL ALICE_PASSWORD

Alice logs in with the authorization-code flow; Bob signs up from his app
(registration is open on this server). Bob follows Alice and listens to
his user stream; Alice posts a picture and a poll; Bob receives the update
live, replies, favourites, votes; Alice reads her home timeline, notifications,
the thread and the poll's results; then they exchange a direct message.
"""

import base64
import io
import queue
import struct
import sys
import threading
import time
import zlib

from mastodon import Mastodon, StreamListener

from mastodon_py_login import OOB, SCOPES, fail, log_in


def png(width, height):
    """A small, valid PNG without any imaging library."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 7 % 256, y * 5 % 256, 160)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Updates(StreamListener):
    def __init__(self):
        super().__init__()
        self.updates = queue.Queue()

    def on_update(self, status):
        self.updates.put(status)


def expect(condition, message):
    if not condition:
        fail(message)


def main():
    base, alice_password = sys.argv[1:3]
    alice = log_in(base, "alice", alice_password, app_name="Alice phone")
    client_id, client_secret = Mastodon.create_app(
        "Bob desktop", api_base_url=base, redirect_uris=OOB, scopes=SCOPES
    )
    bob = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    bob.create_account("bob", "bob's long password", "bob@corp.example", agreement=True, scopes=SCOPES)
    alice_account = alice.account_verify_credentials()
    bob_account = bob.account_verify_credentials()

    relationship = bob.account_follow(bob.account_lookup("alice").id)
    expect(relationship.following, f"follow: {relationship}")

    listener = Updates()
    stream = bob.stream_user(listener, run_async=True, reconnect_async=False)
    try:
        time.sleep(1)  # the stream is open before Alice posts
        media = alice.media_post(
            io.BytesIO(png(120, 80)), mime_type="image/png", file_name="site.png", description="The new site"
        )
        expect(media.type == "image" and media.url and media.blurhash, f"media: {media}")
        picture = alice.status_post("Our new site, opening in May", media_ids=[media.id])
        expect(len(picture.media_attachments) == 1, f"status media: {picture}")
        poll_status = alice.status_post("Team lunch?", poll=alice.make_poll(["Pizza", "Salad"], expires_in=3600))
        expect(poll_status.poll and len(poll_status.poll.options) == 2, f"poll: {poll_status}")

        seen = {}
        deadline = time.time() + 15
        while len(seen) < 2 and time.time() < deadline:
            try:
                update = listener.updates.get(timeout=max(0.1, deadline - time.time()))
                seen[update.id] = update
            except queue.Empty:
                break
        expect(picture.id in seen and poll_status.id in seen, f"stream updates: {list(seen)}")
        expect(seen[picture.id].media_attachments[0].description == "The new site", "streamed media")
    except BaseException:
        stream.close()
        raise

    reply = bob.status_reply(picture, "Looks great!")
    expect(reply.in_reply_to_id == picture.id, f"reply: {reply}")
    favourited = bob.status_favourite(picture.id)
    expect(favourited.favourited and favourited.favourites_count == 1, f"favourite: {favourited}")
    voted = bob.poll_vote(poll_status.poll.id, [1])
    expect(voted.voted and voted.own_votes == [1], f"vote: {voted}")

    home = alice.timeline_home()
    expect([s.id for s in home][:2] == [poll_status.id, picture.id], f"home: {[s.id for s in home]}")
    kinds = {(n.type, n.account.id) for n in alice.notifications()}
    for wanted in [("follow", bob_account.id), ("mention", bob_account.id), ("favourite", bob_account.id)]:
        expect(wanted in kinds, f"notification {wanted} missing: {kinds}")
    context = alice.status_context(picture.id)
    expect([s.id for s in context.descendants] == [reply.id], f"context: {context}")
    results = alice.poll(poll_status.poll.id)
    expect([o.votes_count for o in results.options] == [0, 1], f"results: {results}")

    secret = alice.status_post("@bob the budget is approved, keep it quiet", visibility="direct")
    conversations = bob.conversations()
    expect(len(conversations) == 1 and conversations[0].last_status.id == secret.id, f"conversations: {conversations}")
    expect(conversations[0].unread and conversations[0].accounts[0].id == alice_account.id, "conversation")
    bob.conversations_read(conversations[0].id)
    expect(not bob.conversations()[0].unread, "marked read")
    expect(all(s.id != secret.id for s in bob.timeline_public()), "a direct message is public")
    # Web Push, as an app sets it up: the keys are RFC 8291's example ones.
    push_keys = {
        "pubkey": base64.urlsafe_b64decode(
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4="
        ),
        "auth": base64.urlsafe_b64decode("BTBZMqHH6r4Tts7J_aSIgg=="),
    }
    subscription = alice.push_subscription_set(
        "https://push.example/alice", push_keys, mention_events=True, favourite_events=False, policy="followed"
    )
    expect(subscription.alerts.mention and not subscription.alerts.favourite, f"push: {subscription}")
    expect(subscription.policy == "followed" and subscription.server_key, f"push: {subscription}")
    updated = alice.push_subscription_update(favourite_events=True, policy="all")
    expect(updated.alerts.favourite and updated.alerts.mention and updated.policy == "all", f"push: {updated}")
    expect(alice.push_subscription().endpoint == "https://push.example/alice", "push subscription read")
    alice.push_subscription_delete()
    # Closing waits for the stream's thread, blocked reading: one more event for
    # Bob wakes it, so the process ends without waiting for a heartbeat.
    closing = threading.Thread(target=stream.close, daemon=True)
    closing.start()
    alice.status_favourite(reply.id)
    closing.join(10)
    stream.join(10)
    print("mastodon.py scenario: login, sign-up, stream update, media, poll, reply, favourite, vote, home, notifications, context, DM, push subscription: ok")


if __name__ == "__main__":
    main()
