"""Only http(s) links reach a page, and download names are escaped as RFC 6266 asks (issue 15)."""
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string

from suite.links import attach, safe_url


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x"])
def test_unsafe_urls_become_nothing(url):
    assert safe_url(url) == ""


@pytest.mark.parametrize("url", ["https://www.nhs.uk/conditions/asthma/", "http://example.org/a?b=c", "/health/"])
def test_http_links_and_site_paths_are_kept(url):
    assert safe_url(url) == url


def test_a_javascript_url_in_a_knowledge_base_citation_is_not_rendered_as_a_link():
    message = SimpleNamespace(
        pk=1, role="assistant", triage_level="none", warnings=[], text="See the leaflet.", parts=[], confidence=None,
        citations=[{"url": "javascript:alert(document.cookie)", "title": "Asthma leaflet", "source": "kb"},
                   {"url": "https://example.org/asthma", "title": "Asthma page", "source": "kb"}],
    )

    html = render_to_string("chatbot/_message.html", {"m": message})

    assert "javascript:" not in html
    assert "Asthma leaflet" in html and 'href="https://example.org/asthma"' in html


def test_download_names_are_escaped_with_filename_star():
    response = attach(HttpResponse(b"x"), 'Contrat "final"; été.pdf\r\nX-Evil: 1')

    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    assert "filename*=utf-8''" in header
    assert "\r" not in header and "\n" not in header and '"final"' not in header
