from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = _("Processes")

    def ready(self):
        from events.signals import demo_loaded, event_page_section
        from ideas.signals import idea_page_section, working_group_page_section
        from processes import demo, privacy
        from processes.views.public import meeting_section, process_links_section, working_group_section
        from processes.views.report import idea_result_steps
        from registrations.signals import staff_pages
        from registrations.staff.tabs import Tab

        def event_section(sender, request, event, place, **kwargs):
            return process_links_section(request, event) if place == "about" else None

        def meeting_head_start(sender, request, event, place, **kwargs):
            return meeting_section(request, event) if place == "about" else None

        links = [Tab("processes", "processes:staff_list", _("Processes"), per_event=False)]

        def process_pages(sender, **kwargs):
            return links

        def add_demo_process(sender, events, organiser, now, **kwargs):
            return demo.load(events, organiser, now)

        def group_section(sender, request, working_group, **kwargs):
            return working_group_section(request, working_group)

        def idea_steps(sender, request, idea, **kwargs):
            return idea_result_steps(request, idea)

        working_group_page_section.connect(group_section, weak=False, dispatch_uid="processes.group_section")
        idea_page_section.connect(idea_steps, weak=False, dispatch_uid="processes.idea_steps")
        privacy.connect()
        demo_loaded.connect(add_demo_process, weak=False, dispatch_uid="processes.demo")
        event_page_section.connect(event_section, weak=False, dispatch_uid="processes.event_section")
        event_page_section.connect(meeting_head_start, weak=False, dispatch_uid="processes.meeting_head_start")
        staff_pages.connect(process_pages, weak=False, dispatch_uid="processes.staff_pages")
