from django import forms

from suite import documents
from summarizer import services
from summarizer.models import Document


class UploadForm(forms.Form):
    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}), allow_empty_file=True)
    doc_type = forms.ChoiceField(choices=Document.DocType.choices, initial="auto", label="Type")
    sentences = forms.IntegerField(required=False, min_value=1, max_value=services.MAX_SENTENCES, label="Summary sentences",
                                   help_text="leave empty for the default length")
