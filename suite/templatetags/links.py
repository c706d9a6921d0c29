from django import template

from suite.links import safe_url

register = template.Library()


@register.filter
def safe_href(url) -> str:
    """Only http(s) links (or paths on this site) reach an href; anything else becomes ""."""
    return safe_url(url)
