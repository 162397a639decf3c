// Staffroom's optional script: every page works without it. It counts the
// characters left as a post is written.
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
