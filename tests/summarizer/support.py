"""Documents written in the tests: a contract with known terms, a paper, and every bad file."""
from tests.files import docx_bytes, encrypted_pdf, pdf_bytes, scanned_pdf

CONTRACT = """MASTER SUPPLY AGREEMENT

This Master Supply Agreement (the "Agreement") is entered into as of March 3, 2021 by and between Acme Widgets Inc., a Delaware corporation ("Acme"), and Beta Supplies LLC ("Beta").

1. Term. The initial term of this Agreement shall commence on the Effective Date and shall expire on March 2, 2024. This Agreement shall automatically renew for successive one (1) year terms unless either party gives notice of non-renewal at least thirty (30) days prior to the end of the then-current term.

2. Termination. Acme may terminate this Agreement at any time for convenience upon ten (10) days written notice.

3. Limitation of Liability. In no event shall either party's aggregate liability under this Agreement exceed the fees paid in the twelve (12) months preceding the claim.

4. Indemnification. Beta shall indemnify and hold harmless Acme from any and all claims arising out of the products.

5. Governing Law. This Agreement shall be governed by the laws of the State of New York.
"""

PAPER = """Abstract

We propose a sparse attention method for long document summarization. Existing transformers scale quadratically with the input length, which limits them to short inputs. Our approach selects salient blocks with a learned router and attends only within them. Experiments on three benchmarks show that the method outperforms strong baselines by two ROUGE points. However, the router fails on documents with many short sections, which we leave to future work.

1. Introduction

Summarizing long documents is hard because models must read thousands of tokens (Smith et al., 2019). Prior work truncates the input [12], e.g. to the first 512 tokens. We study whether a router can choose what to read.
"""


def good_files() -> dict[str, bytes]:
    """One contract per input type; the PDF splits it over two pages."""
    half = CONTRACT.index("3. Limitation")
    return {
        "contract.pdf": pdf_bytes([CONTRACT[:half], CONTRACT[half:]]),
        "contract.docx": docx_bytes(CONTRACT),
        "contract.txt": CONTRACT.encode(),
        "paper.md": PAPER.encode(),
    }


# name -> (bytes, the failure code the owner sees)
BAD_FILES = {
    "scan.pdf": (scanned_pdf, "no_text_layer"),
    "locked.pdf": (encrypted_pdf, "encrypted"),
    "broken.pdf": (lambda: b"%PDF-1.4 truncated garbage", "corrupt"),
    "photo.png": (lambda: b"\x89PNG not a document", "unsupported"),
}
