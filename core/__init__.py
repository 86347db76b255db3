"""The ground floor: infrastructure that every app may import (and that imports none of them).

Plain statements for the hot paths (`rows`), domain errors (`errors`), the rate limiter, the
paginator, the KERN UX form styling and the site-wide template tags (`{% load site %}`).
No models: the apps above own all data.
"""
