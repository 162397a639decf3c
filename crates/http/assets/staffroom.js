// Staffroom's optional script: every page works without it. It counts the
// characters left as a post is written, and tells the server the offset from
// UTC of the writer's clock when a post is to be published later.
document.querySelectorAll("textarea[data-limit]").forEach(function (area) {
  var output = document.getElementById(area.getAttribute("aria-describedby"));
  if (!output) return;
  var limit = parseInt(area.getAttribute("data-limit"), 10);
  var update = function () {
    var left = limit - Array.from(area.value).length;
    output.textContent = left + " characters left";
  };
  area.addEventListener("input", update);
  update();
});

document.querySelectorAll("input[name=scheduled_at]").forEach(function (field) {
  var offset = field.form && field.form.querySelector("input[name=utc_offset]");
  if (!offset) return;
  field.form.addEventListener("submit", function () {
    // A datetime-local value is read by Date as the writer's own time.
    var chosen = field.value ? new Date(field.value) : null;
    offset.value = chosen && !isNaN(chosen) ? String(-chosen.getTimezoneOffset()) : "";
  });
});
