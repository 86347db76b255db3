"""A message as it goes over SMTP: CRLF, 7-bit headers, and a Subject that survives unfolding.

The email package folds a long Subject at a space before an encoded word and keeps that space at
the end of the line ("…im \\r\\n =?utf-8?q?B=C3=BCrgerdialog?="). Unfolding (RFC 5322 2.2.3) then
leaves two spaces, which RFC 2047 decoders keep: "im  Bürgerdialog". A Subject that is not plain
ASCII is therefore written as encoded words only; the spaces are inside them, and the white space
between encoded words is dropped when they are decoded (RFC 2047 6.2).
"""

import email.policy
from email.header import Header

# Headers whose value is a list of URLs in angle brackets (RFC 2369, RFC 8058): an encoded word
# there is no URL any more, so mail programs would not offer "unsubscribe". Written unfolded (a
# line may hold 998 characters).
URL_HEADERS = {"list-unsubscribe", "list-unsubscribe-post"}


class WirePolicy(email.policy.EmailPolicy):
    def _fold(self, name, value, refold_binary=False):
        text = str(value)
        if name.lower() in URL_HEADERS and text.isascii():
            return f"{name}: {text}{self.linesep}"
        if name.lower() == "subject" and not text.isascii() and not self.utf8:
            encoded = Header(text, "utf-8", header_name=name).encode(
                linesep=self.linesep, maxlinelen=self.max_line_length
            )
            return f"{name}: {encoded}{self.linesep}"
        if name.lower() == "list-unsubscribe" and text.isascii():
            # A URI in angle brackets has no space to fold at; the default folding would turn it
            # into encoded words no mail program reads as a link (RFC 2369 allows the long line).
            return f"{name}: {text}{self.linesep}"
        return super()._fold(name, value, refold_binary=refold_binary)


# Render with `message.message(policy=WIRE).as_bytes()`.
WIRE = WirePolicy(linesep="\r\n")
