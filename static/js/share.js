// The share box's copy button: shown only where the clipboard can be written, and it says
// "Kopiert" (in the page's language) in a polite live region. Without it the text is selectable.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-share-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-share-copy"));
    var status = button.parentNode.querySelector("[role=status]");
    if (!field || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      navigator.clipboard.writeText(field.value).then(
        function () {
          status.textContent = button.getAttribute("data-copied");
        },
        function () {
          field.focus();
          field.select();
          status.textContent = button.getAttribute("data-failed");
        }
      );
    });
  });
})();
