"""API v1 endpoints of directives and tasks."""

from django.urls import URLPattern, URLResolver, path

from directives.api import views

app_name = "directives_api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("directives/", views.DirectiveListApi.as_view(), name="directive-list"),
    path("directives/extract/", views.ExtractApi.as_view(), name="directive-extract"),
    path("directives/<int:pk>/", views.DirectiveDetailApi.as_view(), name="directive-detail"),
    path("tasks/", views.TaskListApi.as_view(), name="task-list"),
    path("tasks/<int:pk>/", views.TaskDetailApi.as_view(), name="task-detail"),
    path("tasks/<int:pk>/<slug:action>/", views.TaskActionApi.as_view(), name="task-action"),
]
