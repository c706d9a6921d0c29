from django import forms

from chatbot.models import Provider


class ProfileForm(forms.Form):
    age = forms.IntegerField(required=False, min_value=0, max_value=130)
    conditions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Separate with commas.")
    medications = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Separate with commas.")
    allergies = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Separate with commas.")


class BookingForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Provider.objects.filter(active=True), empty_label=None)
    start = forms.DateTimeField(label="Date and time", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(required=False, max_length=300)


class StaffReplyForm(forms.Form):
    text = forms.CharField(label="Reply", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
