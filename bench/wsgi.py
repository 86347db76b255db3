"""The app as gunicorn serves it in the benchmarks: config.wsgi, then the switches of
bench/switches.py applied in each worker."""

from bench import switches
from config.wsgi import application  # noqa: F401 - sets Django up

switches.apply_to_code()
