"""No admin pages for background jobs: a job belongs to whoever asked for it and lives on their pages
(administrators see everyone's at /jobs/).

django-tasks-db registers its queue in the admin by Django's model permissions, which the portal does not
use (accounts.admin_site): its pages are taken away here. A failed task's traceback is in the worker's log
and in the queue's table."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
