"""A real SMTP server (aiosmtpd) for the mail tests: every message it accepts
is written, exactly as received, to DIR/NNNNN.eml, with its envelope
recipients in DIR/NNNNN.rcpt. Recipients whose address starts with "bounce"
are refused for good (550), as a relay refuses an unknown mailbox. Prints "ready" once listening; stops when its
standard input closes (the test ended, or died)."""

import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.folder, f"{self.count:05d}")
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        # Renamed last: a reader never sees half a message.
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
