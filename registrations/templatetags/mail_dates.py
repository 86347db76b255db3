from django import template

from registrations.mail.dates import mail_datetime, mail_time

register = template.Library()
register.filter("mail_datetime", mail_datetime)
register.filter("mail_time", mail_time)
