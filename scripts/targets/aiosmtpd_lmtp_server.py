"""aiosmtpd's LMTP server for the smtpgauge interop tier.

aiosmtpd has no LMTP command line: `aiosmtpd.lmtp.LMTP` is an `SMTP` subclass that adds LHLO
(answered as EHLO) and answers HELO and EHLO with 500. Replies after the final dot come from the
handler's `handle_DATA`, whose one return value SMTP.smtp_DATA pushes with a CRLF after it; the
library leaves the per-recipient replies of RFC 2033 §4.2 to the application. This handler
returns one "250 OK" line per recipient accepted at RCPT (in RCPT order, duplicates included),
joined by CRLF, and refuses recipients at domains other than the test domain at RCPT
(aiosmtpd_server.TestDomainSink). The LMTP class keeps its defaults (SIZE 33554432, 8BITMIME,
no SMTPUTF8, no TLS and so no AUTH) but for the hostname.
Usage: aiosmtpd_lmtp_server.py PORT
"""

import sys

from aiosmtpd.lmtp import LMTP

from aiosmtpd_server import TestDomainSink, serve


class PerRecipientSink(TestDomainSink):
    """TestDomainSink answering the final dot once per accepted recipient (RFC 2033 §4.2)."""

    async def handle_DATA(self, server, session, envelope):
        return "\r\n".join("250 OK" for _ in envelope.rcpt_tos)


def main() -> None:
    port = int(sys.argv[1])

    def factory():
        # hostname given explicitly: the default, socket.getfqdn(), may ask DNS off the box.
        return LMTP(PerRecipientSink(), hostname="localhost")

    serve(factory, port)


if __name__ == "__main__":
    main()
