from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from suite import roles as R
from suite.services import user_signup

User = get_user_model()


def add_service_errors(form: forms.Form, exc: ValidationError, *, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, messages)


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @/./+/-/_ only.")
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(
        choices=[(r, R.ROLE_LABELS[r]) for r in R.PUBLIC_ROLES],
        widget=forms.RadioSelect,
        help_text="Annotator and reviewer roles are granted by an administrator.",
    )
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        User.username_validator(username)
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return cleaned

    def save(self) -> User:
        """Create the account through the service; its field errors land on this form."""
        try:
            return user_signup(
                username=self.cleaned_data["username"],
                email=self.cleaned_data.get("email", ""),
                password=self.cleaned_data["password1"],
                role=self.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(self, exc, rename={"password": "password1"})
            return None
