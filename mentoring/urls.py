"""URLs of the mentoring app (/mentoring/): mentors, visits and assessments; training; support and
contributions. Each feature's patterns live beside its views."""

from mentoring.urls_mentors import urlpatterns as mentors
from mentoring.urls_support import urlpatterns as support
from mentoring.urls_training import urlpatterns as training

app_name = "mentoring"
urlpatterns = [*mentors, *training, *support]
