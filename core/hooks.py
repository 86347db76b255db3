"""The one way a lower layer shows what the layers above add to it, without importing them: it
sends a Django signal and shows what the receivers answer (sections of a page, tabs, access data).
The layers above connect their receivers in `AppConfig.ready()`, each with a `dispatch_uid`."""

from django.dispatch import Signal


def answers(signal: Signal, sender, **kwargs) -> list:
    """The receivers' answers, in the order they were connected; None means "nothing from me"."""
    return [answer for _receiver, answer in signal.send(sender=sender, **kwargs) if answer is not None]
