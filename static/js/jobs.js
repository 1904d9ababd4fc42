// A background job's page (templates/jobs/job_detail.html): asks /jobs/<pk>/status.json every few
// seconds until the job is done or failed, and shows its progress, its file or why it failed.
(function () {
  "use strict";
  var card = document.getElementById("job");
  if (!card || card.dataset.finished === "1") {
    return;
  }
  var every = 2000;

  function show(id, visible) {
    document.getElementById(id).hidden = !visible;
  }

  function draw(status) {
    document.getElementById("job-state").textContent = status.state_label;
    document.getElementById("job-progress").value = status.percent;
    document.getElementById("job-progress").textContent = status.percent + "%";
    document.getElementById("job-done").textContent = status.done;
    document.getElementById("job-total").textContent = status.total;
    document.getElementById("job-message").textContent = status.message;
    show("job-message", Boolean(status.message));
    if (status.download_url) {
      document.getElementById("job-download").href = status.download_url;
    }
    show("job-download", Boolean(status.download_url));
    show("job-retry", status.can_retry);
    show("job-waiting", !status.finished);
  }

  function poll() {
    fetch(card.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (status) {
        draw(status);
        if (!status.finished) {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        // The network or the server hiccupped: try again a little later.
        window.setTimeout(poll, every * 5);
      });
  }

  window.setTimeout(poll, every);
})();
