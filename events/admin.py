"""Django admin for organisers: each sees and changes only the events of their own team.

The guard of events/access.py decides: a model admin names the capability a role needs to see
its objects (`capability`), and changing them needs `manage`; city admins see everything."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from core.errors import ValidationFailed
from events import access, questions, services
from events.access import Capability
from events.models import AuditEntry, ConsentTerms, Event, LegalPage, Question, SeatPool, Venue


class StaffAdmin(admin.ModelAdmin):
    """Every organiser may use it (`access.organises_any_event`); no per-model permissions to hand out."""

    def has_module_permission(self, request):
        return request.user.is_staff and access.organises_any_event(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TeamScopedAdmin(StaffAdmin):
    """Members whose role has `capability` see the objects of their events; organisers change them."""

    event_path = "event"
    capability = Capability.MANAGE

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if access.is_city_admin(request.user):
            return queryset
        events = access.events_where(request.user, self.capability)
        return queryset.filter(**{f"{self.event_path}__in": events})

    def has_module_permission(self, request):
        user = request.user
        return user.is_staff and (
            access.organises_any_event(user) or access.events_where(user, self.capability).exists()
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return request.user.is_staff and access.can(request.user, self.event_of(obj), self.capability)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request) and access.organises_any_event(request.user)
        return request.user.is_staff and access.can(request.user, self.event_of(obj), Capability.MANAGE)

    def has_add_permission(self, request, obj=None):
        return self.has_module_permission(request) and access.organises_any_event(request.user)

    def event_of(self, obj) -> Event | None:
        return obj if isinstance(obj, Event) else obj.event


class SeatPoolInline(admin.TabularInline):
    model = SeatPool
    extra = 0
    fields = ["seat_type", "capacity", "reserved", "confirmed", "waitlisted", "pending"]
    readonly_fields = ["confirmed", "waitlisted", "pending"]

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True

    def has_view_permission(self, request, obj=None):
        return True


class EventAdminForm(forms.ModelForm):
    # The service's refusal of this very form data, when it came after the form's own checks had
    # passed (see EventAdmin.changeform_view); shown with the form's errors.
    refusal: ValidationFailed | None = None

    class Meta:
        model = Event
        exclude = ["team"]

    # Left empty, the event keeps its value (the default for a new one).
    KEPT_WHEN_EMPTY = (
        "retention_days",
        "max_companions",
        "max_registrations_per_address",
        "reconfirm_answer_hours",
        "offer_valid_hours",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.KEPT_WHEN_EMPTY:
            self.fields[name].required = False

    def clean(self):
        for name in self.KEPT_WHEN_EMPTY:
            if self.cleaned_data.get(name) is None:
                self.cleaned_data[name] = getattr(self.instance, name)
        cleaned = super().clean()
        event = self.instance
        for field, value in cleaned.items():
            setattr(event, field, value)
        seats = self.planned_seats()
        problems = services.event_problems(event, seats, now=timezone.now())
        if event.pk:
            current_pools = SeatPool.objects.filter(event=event)
            for field, errors in services.pool_problems(event, current_pools, seats).items():
                problems.setdefault(field, []).extend(errors)
        for field, errors in problems.items():
            target = field if field in self.fields else None
            for error in errors:
                self.add_error(target, error.message)
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.refusal is None or not self.is_bound:
            return
        for field, errors in self.refusal.errors.items():
            target = field if field in self.fields else NON_FIELD_ERRORS
            if self.has_error(target):
                continue  # found again, in the form's own words, now that the other save is in
            for error in errors:
                self.add_error(target, error.message)

    def planned_seats(self) -> dict[str, services.SeatPlan]:
        return {pool.seat_type: services.SeatPlan(pool.capacity, pool.reserved) for pool in self.planned_pools()}

    def planned_pools(self):
        """Seat pools as the inline formset will save them (read from the raw form data)."""
        prefix = "seat_pools"
        try:
            total = int(self.data.get(f"{prefix}-TOTAL_FORMS", 0))
        except ValueError:
            return []
        pools = []
        for index in range(total):
            row = f"{prefix}-{index}-"
            if self.data.get(row + "DELETE") or not self.data.get(row + "seat_type"):
                continue
            try:
                capacity, reserved = int(self.data.get(row + "capacity")), int(self.data.get(row + "reserved") or 0)
            except (TypeError, ValueError):
                continue
            pools.append(SeatPool(seat_type=self.data[row + "seat_type"], capacity=capacity, reserved=reserved))
        return pools


@admin.register(Event)
class EventAdmin(TeamScopedAdmin):
    form = EventAdminForm
    event_path = "pk"
    list_display = ["title_de", "starts_at", "format", "status", "allocation"]
    list_filter = ["status", "format"]
    search_fields = ["title_de", "title_en", "keyword"]
    prepopulated_fields = {"slug": ["title_de"]}
    inlines = [SeatPoolInline]

    def get_readonly_fields(self, request, obj=None):
        # Links in sent e-mails and calendar files carry the slug; the service keeps it, too.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "event_refusal", None)
        return type(form.__name__, (form,), {"refusal": refusal}) if refusal else form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationFailed as refusal:
            # Another save came between the form's checks and the service's (which checks again
            # under its locks) and took, say, the keyword. Everything was rolled back; the form
            # is shown again as posted, with the service's reasons.
            request.event_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # The service saves the event with its seat pools, terms and team, in save_related.
        pass

    def save_related(self, request, form, formsets, change):
        fields = {name: value for name, value in form.cleaned_data.items() if name in services.EVENT_FIELDS}
        options = {"seats": form.planned_seats(), "venue": form.cleaned_data.get("venue"), "actor": request.user}
        if change:
            services.update_event(form.instance, fields, **options, now=timezone.now())
        else:
            event = services.create_event(fields, **options, slug=form.cleaned_data["slug"], now=timezone.now())
            # The admin logs the addition of, and redirects to, the object its form built.
            form.instance.pk = event.pk
            form.instance.refresh_from_db()
        for formset in formsets:
            # Not written (the service writes the pools); only read by the admin's change message.
            formset.save(commit=False)


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["event", "kind", "label_de", "label_en", "choices_de", "choices_en", "required"]

    def question_data(self) -> questions.QuestionData:
        data = self.cleaned_data
        return questions.QuestionData(
            kind=data.get("kind", ""),
            label_de=data.get("label_de", ""),
            label_en=data.get("label_en", ""),
            choices_de=questions.lines(data.get("choices_de", "")),
            choices_en=questions.lines(data.get("choices_en", "")),
            required=data.get("required", False),
        )

    def clean(self):
        cleaned = super().clean()
        for field, errors in questions.question_problems(self.question_data()).items():
            for error in errors:
                self.add_error(field if field in self.fields else None, error.message)
        return cleaned


@admin.register(Question)
class QuestionAdmin(TeamScopedAdmin):
    """The questions asked at registration; the organiser page of the event orders them."""

    form = QuestionAdminForm
    list_display = ["label_de", "event", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["label_de", "label_en"]

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = access.events_where(request.user, Capability.MANAGE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Organisers remove their own questions (and the answers with them), as on their page.
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            questions.update_question(obj, form.question_data(), actor=request.user, now=timezone.now())
        else:
            added = questions.add_question(
                form.cleaned_data["event"], form.question_data(), actor=request.user, now=timezone.now()
            )
            obj.pk, obj.position = added.pk, added.position

    def delete_model(self, request, obj):
        questions.remove_question(obj, actor=request.user, now=timezone.now())

    def delete_queryset(self, request, queryset):
        for question in queryset.select_related("event"):
            questions.remove_question(question, actor=request.user, now=timezone.now())


@admin.register(ConsentTerms)
class ConsentTermsAdmin(TeamScopedAdmin):
    list_display = ["event", "version", "broadcast_consent_required", "created_at"]
    readonly_fields = ["event", "version"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Terms people agreed to are evidence; a change is a new version made by the service.
        return False


@admin.register(Venue)
class VenueAdmin(StaffAdmin):
    list_display = ["name", "address"]


@admin.register(AuditEntry)
class AuditEntryAdmin(TeamScopedAdmin):
    list_display = ["at", "actor_label", "action", "event", "target_type", "target_id"]
    list_filter = ["action"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.event is None:
            return access.is_city_admin(request.user)
        return super().has_view_permission(request, obj)


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The city's legal texts: only superusers change them, not event organisers."""

    list_display = ["kind", "title_de", "updated_at"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
