from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.forms import SetPasswordFields
from accounts.models import User
from accounts.services import session_login_password
from audit import actions
from audit.selectors import access_log_for_family
from audit.services import audit_practitioner_view, audit_record
from core.errors import DomainError
from core.views import refusals_on_form
from families import features, services
from families.access import Action, actions_for, require
from families.forms import ChildForm, FamilyCreateForm, InvitationForm, MembershipRoleForm
from families.models import Family
from families.selectors import family_members, memberships_for_user, pending_invitations


def _access_or_404(request, family_id, action=Action.VIEW_FAMILY):
    """The user's membership; for non-members the 404 page (nothing revealed), for members whose
    role does not allow `action` the 403 page (core.middleware.DomainErrorMiddleware)."""
    return require(user=request.user, family_id=family_id, action=action, request=request)


def home(request):
    if request.method == "POST" and not request.user.may_open_cases:
        messages.error(request, str(services.OPEN_CASES_REFUSED))
        return redirect("families:home")  # shown on the page a GET leads to
    memberships = all_memberships = list(memberships_for_user(user=request.user))
    if len(memberships) == 1 and not request.user.may_open_cases:
        return redirect("families:detail", family_id=memberships[0].family_id)
    caseload = _caseload(request, memberships)
    if caseload is not None:
        # The families the user follows as a practitioner are the caseload; any other (a practitioner
        # who is also a parent somewhere) stays a card below it.
        memberships = [m for m in memberships if not m.is_practitioner]
    if memberships:
        unread = features.unread_by_family(user=request.user)
        for membership in memberships:
            membership.unread = unread.get(membership.family_id, 0)
    form = FamilyCreateForm(request.POST or None) if request.user.may_open_cases else None
    if form is not None and request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            family = services.family_create(actor=request.user, request=request, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("Gezin aangemaakt. Nodig nu de ouders uit."))
            return redirect("families:detail", family_id=family.pk)
    return render(request, "families/home.html", {
        "memberships": memberships, "form": form, "caseload": caseload,
        "panels": features.home_panels_for(request=request, memberships=all_memberships)})


SEARCH_MAX_CHARS = 100


def _caseload(request, memberships) -> dict | None:
    """A practitioner's caseload: the families they follow as a practitioner, open cases as rows
    with the facts the features contribute (families.features.register_caseload_column), most urgent
    first; closed cases in the archive (names only). Search (name or reference, `q`) and the columns'
    filters are GET parameters, so the page works without JavaScript."""
    followed = [m for m in memberships if m.is_practitioner]
    if not followed:
        return None
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_CHARS]
    if query:
        needle = query.casefold()
        found = [m for m in followed
                 if needle in m.family.display_name.casefold() or needle in m.family.reference.casefold()]
    else:
        found = followed
    open_cases = [m for m in found if m.family.status != Family.Status.CLOSED]
    archive = [m for m in found if m.family.status == Family.Status.CLOSED]
    filters, chosen = [], {}
    for param, label, values in features.caseload_filters():
        value = request.GET.get(param, "")
        if value not in {v for v, _label in values}:
            value = ""  # an unknown value filters nothing (a link from an older page, say)
        if value:
            chosen[param] = value
        filters.append({"param": param, "label": label, "values": values, "value": value})
    rows = features.caseload_rows(user=request.user, memberships=open_cases)
    rows = [r for r in rows if all(r.filters.get(p) == v for p, v in chosen.items())]
    return {"rows": rows, "archive": archive, "query": query, "filters": filters,
            "filtered": bool(query or chosen), "total": len(followed)}


def detail(request, family_id):
    membership = _access_or_404(request, family_id)
    family = membership.family
    audit_practitioner_view(action=actions.FAMILY_VIEWED, membership=membership, target=family,
                            request=request)
    allowed = actions_for(membership)
    context = {
        "family": family,
        "membership": membership,
        "allowed": {a.value for a in allowed},
        "members": family_members(family=family) if Action.VIEW_MEMBERS in allowed else [],
        "children": family.children.all() if Action.VIEW_CHILDREN in allowed else [],
        "invitations": pending_invitations(family=family) if Action.INVITE_MEMBER in allowed else [],
        "invite_form": InvitationForm() if Action.INVITE_MEMBER in allowed else None,
        "invitable_roles": services.INVITABLE_ROLES.get(membership.role, set()),
        "child_form": ChildForm() if Action.ADD_CHILD in allowed else None,
        "may_edit_children": Action.EDIT_CHILD in allowed,
        "role_form": MembershipRoleForm() if Action.MANAGE_MEMBERS in allowed else None,
        "cards": features.cards_for(request=request, membership=membership),
    }
    return render(request, "families/detail.html", context)


def _form_page(request, family, form, *, title, submit):
    """A small form page inside a family, shown again with the errors and the input after a
    refused post."""
    return render(request, "families/form_page.html", {"form": form, "family": family, "title": title,
                                                        "submit": submit})


def _post_form(request, family_id, form_class, action, run, success, *, prepare=None):
    """A small form page inside a family: the access check first, then the service."""
    membership = _access_or_404(request, family_id, action)
    form = form_class(request.POST or None)
    if prepare is not None:
        prepare(form, membership)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            run(form.cleaned_data)
        if not form.errors:
            messages.success(request, success)
            return redirect("families:detail", family_id=family_id)
    return _form_page(request, membership.family, form, title=form_class.title, submit=form_class.submit)


# Lazy: set once at import, shown in each user's own language.
InvitationForm.title, InvitationForm.submit = (
    gettext_lazy("Iemand uitnodigen"), gettext_lazy("Uitnodiging versturen")
)
ChildForm.title, ChildForm.submit = gettext_lazy("Kind toevoegen"), gettext_lazy("Toevoegen")
MembershipRoleForm.title = MembershipRoleForm.submit = gettext_lazy("Rol wijzigen")


def _invitable_roles_only(form, membership):
    """Offer only the roles this member may invite (the service refuses the others)."""
    allowed = services.INVITABLE_ROLES.get(membership.role, set())
    form.fields["role"].choices = [(v, label) for v, label in form.fields["role"].choices if v in allowed]


def invite(request, family_id):
    return _post_form(
        request, family_id, InvitationForm, Action.INVITE_MEMBER,
        lambda data: services.invitation_send(actor=request.user, family_id=family_id, request=request,
                                              **data),
        _("De uitnodiging is verstuurd. De link werkt 7 dagen."),
        prepare=_invitable_roles_only,
    )


@require_POST
def invitation_revoke(request, family_id, invitation_id):
    """Posted from the family page; a refusal (already used, already ended) shows on a page of its own."""
    membership = _access_or_404(request, family_id, Action.INVITE_MEMBER)
    form = forms.Form(request.POST)
    with refusals_on_form(form):
        invitation = services.invitation_revoke(actor=request.user, family_id=family_id,
                                                invitation_id=invitation_id, request=request)
    if form.errors:
        return _invitation_refused(request, membership, form)
    messages.success(request, _("De uitnodiging aan %(email)s is ingetrokken. De link werkt niet meer.")
                     % {"email": invitation.email})
    return redirect("families:detail", family_id=family_id)


@require_POST
def invitation_resend(request, family_id, invitation_id):
    membership = _access_or_404(request, family_id, Action.INVITE_MEMBER)
    form = forms.Form(request.POST)
    with refusals_on_form(form):
        invitation = services.invitation_resend(actor=request.user, family_id=family_id,
                                                invitation_id=invitation_id, request=request)
    if form.errors:
        return _invitation_refused(request, membership, form)
    messages.success(request, _("Er is een nieuwe uitnodiging gestuurd naar %(email)s. De link uit de "
                                "vorige e-mail werkt niet meer.") % {"email": invitation.email})
    return redirect("families:detail", family_id=family_id)


def _invitation_refused(request, membership, form):
    return render(request, "families/invitation_refused.html", {"family": membership.family, "form": form},
                  status=409)


def child_add(request, family_id):
    return _post_form(
        request, family_id, ChildForm, Action.ADD_CHILD,
        lambda data: services.child_add(actor=request.user, family_id=family_id, request=request, **data),
        _("Kind toegevoegd."),
    )


def child_edit(request, family_id, child_id):
    """A practitioner corrects a child's name or birth date; the page also offers removing the child."""
    membership = _access_or_404(request, family_id, Action.EDIT_CHILD)
    child = get_object_or_404(membership.family.children, pk=child_id)
    form = ChildForm(request.POST or None,
                     initial={"first_name": child.first_name, "birth_date": child.birth_date})
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            services.child_change(actor=request.user, family_id=family_id, child_id=child.pk,
                                  request=request, **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.")
                             % {"name": form.cleaned_data["first_name"]})
            return redirect("families:detail", family_id=family_id)
    return render(request, "families/child_edit.html",
                  {"family": membership.family, "child": child, "form": form})


@require_POST
def child_remove(request, family_id, child_id):
    """Posted from the child's page after a confirmation."""
    _access_or_404(request, family_id, Action.EDIT_CHILD)
    child = services.child_remove(actor=request.user, family_id=family_id, child_id=child_id, request=request)
    messages.success(request, _("%(name)s staat niet meer in het dossier. Wat al over %(name)s is "
                                "vastgelegd, blijft bewaard.") % {"name": child.first_name})
    return redirect("families:detail", family_id=family_id)


@require_POST
def membership_role(request, family_id, membership_id):
    """Posted from the family page; a refused change shows on a page of its own, with the choice."""
    membership = _access_or_404(request, family_id, Action.MANAGE_MEMBERS)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form, "role"):
            services.membership_role_change(actor=request.user, family_id=family_id,
                                            membership_id=membership_id, role=form.cleaned_data["role"],
                                            request=request)
        if not form.errors:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect("families:detail", family_id=family_id)
    return _form_page(request, membership.family, form, title=MembershipRoleForm.title,
                      submit=MembershipRoleForm.submit)


@require_POST
def membership_end(request, family_id, membership_id):
    """Posted from the family page; a refused end shows on a page of its own, to confirm again."""
    membership = _access_or_404(request, family_id, Action.MANAGE_MEMBERS)
    form = forms.Form(request.POST)
    with refusals_on_form(form):
        services.membership_end(actor=request.user, family_id=family_id, membership_id=membership_id,
                                request=request)
    if form.errors:
        return _form_page(request, membership.family, form, title=_("Uit het gezin halen"),
                          submit=_("Ja, uit het gezin halen"))
    messages.success(request, _("Deze persoon hoort niet meer bij het gezin."))
    return redirect("families:detail", family_id=family_id)


def access_log(request, family_id):
    membership = _access_or_404(request, family_id, Action.VIEW_ACCESS_LOG)
    entries = list(access_log_for_family(family=membership.family, viewer=membership))
    audit_record(action=actions.ACCESS_LOG_VIEWED, actor=request.user, acting_role=membership.role,
                 family=membership.family, request=request)
    return render(request, "families/access_log.html", {"family": membership.family, "entries": entries})


def invitation_accept(request, token):
    """Open without login: the invitee chooses a name and password here, then sets up the
    second factor. Someone who already has an account logs in first and opens the link again."""
    try:
        invitation = services.invitation_lookup(token=token)
    except DomainError as exc:
        return render(request, "families/invitation_invalid.html", {"detail": exc.detail, "code": exc.code},
                      status=404 if exc.code == "not_found" else 410)
    user = request.user
    if user.is_authenticated:
        if not user.is_verified():
            logout(request)
            user = request.user
        else:
            form = forms.Form(request.POST or None)
            if request.method == "POST":
                with refusals_on_form(form):
                    membership = services.invitation_accept_existing(token=token, user=user, request=request)
                if not form.errors:
                    messages.success(request, _("Welkom bij %(family)s.")
                                     % {"family": membership.family.display_name})
                    return redirect("families:detail", family_id=membership.family_id)
            return render(request, "families/invitation_accept_existing.html",
                          {"invitation": invitation, "form": form})
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = SetPasswordFields(request.POST or None, email=invitation.email)
    if not has_account and request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            new_user = services.invitation_accept_new_user(
                token=token, display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"], request=request,
            )
        if not form.errors:
            new_user.backend = "django.contrib.auth.backends.ModelBackend"
            session_login_password(request=request, user=new_user)
            messages.success(request, _("Je account is gemaakt. Stel nu je tweede stap in."))
            return redirect("accounts:enrol")
    return render(request, "families/invitation_accept.html",
                  {"invitation": invitation, "form": form, "has_account": has_account, "token": token})



@require_POST
def member_second_factor_reset(request, family_id, membership_id):
    """Posted from the family page by the coordinator; a refusal shows on a page of its own."""
    membership = _access_or_404(request, family_id, Action.RESET_SECOND_FACTOR)
    form = forms.Form(request.POST)
    with refusals_on_form(form):
        target = services.member_second_factor_reset(actor=request.user, family_id=family_id,
                                                     membership_id=membership_id, request=request)
    if form.errors:
        return _form_page(request, membership.family, form, title=_("Tweede stap opnieuw instellen"),
                          submit=_("Ja, opnieuw instellen"))
    messages.success(request, _("De tweede stap van %(name)s is gewist. %(name)s krijgt een e-mail met "
                                "wat nu te doen: eerst een nieuw wachtwoord via e-mail, dan een nieuwe "
                                "telefoon koppelen.") % {"name": target.user.display_name})
    return redirect("families:detail", family_id=family_id)
