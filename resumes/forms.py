from django import forms

from suite.documents import ACCEPT


class UploadForm(forms.Form):
    file = forms.FileField(label="Resume (PDF, DOCX or TXT)", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    email = forms.CharField(max_length=254, required=False)
    phone = forms.CharField(max_length=50, required=False)
    location = forms.CharField(max_length=200, required=False)
    current_title = forms.CharField(max_length=200, required=False, label="Current title",
                                    help_text="The job you hold now; your occupation and advice follow it.")
    skills = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="One skill a line or comma-separated; remove wrong ones, add missing ones.")

    def clean_skills(self):
        raw = self.cleaned_data["skills"]
        return [s.strip() for part in raw.splitlines() for s in part.split(",") if s.strip()]


class JudgeForm(forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
