"""Django admin for organisers: each sees and changes only the events of their own team."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from events import services
from events.errors import ValidationFailed
from events.models import AuditEntry, ConsentTerms, Event, LegalPage, SeatPool, Venue


class StaffAdmin(admin.ModelAdmin):
    """Every active staff user (an organiser) may use it; no per-model permissions to hand out."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class TeamScopedAdmin(StaffAdmin):
    """Organisers see and change the objects of events whose team they belong to."""

    event_path = "event"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.event_path}__team": request.user}).distinct()

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or self.manages(request.user, obj))

    def manages(self, user, obj) -> bool:
        event = obj if isinstance(obj, Event) else obj.event
        return services.can_manage(user, event)


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
    KEPT_WHEN_EMPTY = ("retention_days", "reconfirm_answer_hours", "offer_valid_hours")

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

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_superuser else queryset.filter(team=request.user)

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

    def manages(self, user, obj) -> bool:
        return user.is_superuser if obj.event is None else services.can_manage(user, obj.event)


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
