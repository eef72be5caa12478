/* The report form, made easier with a script: after a refused send, focus moves to the list of
   what to correct (a screen reader reads it at once); the time field shows only when "another
   time" is chosen. Without this script every field simply stays visible. */
(function () {
  var form = document.querySelector(".report-form");
  if (!form) { return; }
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  var time = document.getElementById("since_time");
  var wrapper = time && time.closest(".field");
  var choices = form.querySelectorAll("input[name=since]");
  if (!wrapper || !choices.length) { return; }
  function update() {
    var chosen = form.querySelector("input[name=since]:checked");
    var wanted = (chosen && chosen.value === "tid") || wrapper.classList.contains("field--error");
    wrapper.hidden = !wanted;
  }
  choices.forEach(function (choice) { choice.addEventListener("change", update); });
  update();
}());
