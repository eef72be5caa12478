/* "Er adressen din berørt?": suggestions while typing (WAI-ARIA 1.2 combobox with a listbox
   popup), "Bruk min posisjon", and "Kopier lenke" on the result page. The form is a plain GET
   form without this script; everything here is an extra. No third-party requests. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MIN_CHARS = 2;

  function say(template, count) {
    return template.replace("{n}", String(count));
  }

  function Combobox(form) {
    this.form = form;
    this.input = form.querySelector("input[name=adresse]");
    this.list = form.querySelector("[role=listbox]");
    this.status = form.querySelector(".address-search__status");
    this.url = form.getAttribute("data-suggest-url");
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.latest = 0;
    this.lastQuery = null;
    this.setUp();
  }

  Combobox.prototype.setUp = function () {
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off"); // the browser's own list would cover ours
    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKey.bind(this));
    input.addEventListener("blur", this.onBlur.bind(this));
    this.list.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the input while a suggestion is clicked
    });
    this.list.addEventListener("click", this.onClick.bind(this));
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.fetch(self.input.value.trim());
    }, DEBOUNCE_MS);
  };

  Combobox.prototype.fetch = function (query) {
    var self = this;
    if (query.length < MIN_CHARS) {
      this.lastQuery = null;
      this.close();
      return;
    }
    if (query === this.lastQuery) {
      return;
    }
    this.lastQuery = query;
    if (this.request && this.request.abort) {
      this.request.abort(); // on a slow connection only the newest question matters
    }
    var sequence = ++this.latest;
    var controller = window.AbortController ? new AbortController() : null;
    this.request = controller;
    var url = this.url + "?q=" + encodeURIComponent(query);
    window
      .fetch(url, { headers: { Accept: "application/json" }, signal: controller && controller.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (body) {
        if (sequence === self.latest) {
          self.show(body.addresses || []);
        }
      })
      .catch(function () {
        /* No suggestions: the form still works as it does without JavaScript. */
      });
  };

  Combobox.prototype.show = function (addresses) {
    var list = this.list;
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    this.options = addresses.map(function (address, index) {
      var option = document.createElement("li");
      option.id = list.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = address.label; // text, never HTML
      list.appendChild(option);
      return option;
    });
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    var form = this.form;
    var count = addresses.length;
    this.status.textContent =
      count === 0
        ? form.getAttribute("data-msg-none")
        : say(form.getAttribute(count === 1 ? "data-msg-one" : "data-msg-many"), count);
    if (count) {
      list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    } else {
      this.close();
    }
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Combobox.prototype.isOpen = function () {
    return !this.list.hidden && this.options.length > 0;
  };

  Combobox.prototype.move = function (step) {
    if (!this.options.length) {
      return;
    }
    if (!this.isOpen()) {
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }
    var count = this.options.length;
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    if (this.active >= 0) {
      this.options[this.active].setAttribute("aria-selected", "false");
    }
    this.active = next;
    var option = this.options[next];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };

  Combobox.prototype.choose = function (option) {
    this.input.value = option.textContent;
    this.lastQuery = this.input.value.trim();
    this.close();
    if (this.form.getAttribute("data-fill-only") === "true") {
      return; // a field of a bigger form (the report form): the choice only fills it in
    }
    this.form.submit(); // straight to the answer for the chosen address
  };

  Combobox.prototype.onKey = function (event) {
    if (event.key === "ArrowDown" || event.key === "Down") {
      event.preventDefault();
      this.move(1);
    } else if (event.key === "ArrowUp" || event.key === "Up") {
      event.preventDefault();
      this.move(-1);
    } else if (event.key === "Enter" && this.isOpen() && this.active >= 0) {
      event.preventDefault();
      this.choose(this.options[this.active]);
    } else if (event.key === "Escape" || event.key === "Esc") {
      if (this.isOpen()) {
        event.preventDefault();
        this.close();
      } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
        this.lastQuery = null;
      }
    }
  };

  Combobox.prototype.onClick = function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      this.choose(option);
    }
  };

  Combobox.prototype.onBlur = function () {
    this.close();
  };

  function setUpPosition(form) {
    var box = form.querySelector(".address-search__position");
    if (!box || !("geolocation" in navigator)) {
      return; // stays hidden: nothing to offer
    }
    var button = box.querySelector("button");
    var message = box.querySelector(".address-search__position-message");
    box.hidden = false;
    button.addEventListener("click", function () {
      message.textContent = form.getAttribute("data-msg-locating");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var lat = position.coords.latitude.toFixed(6);
          var lon = position.coords.longitude.toFixed(6);
          window.location.href = form.action + "?lat=" + lat + "&lon=" + lon;
        },
        function (error) {
          var denied = error && error.code === 1; // PERMISSION_DENIED
          message.textContent = form.getAttribute(denied ? "data-msg-denied" : "data-msg-unavailable");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function setUpCopy() {
    var button = document.querySelector(".share__copy");
    var field = document.getElementById("share-url");
    if (!button || !field || !(navigator.clipboard && navigator.clipboard.writeText)) {
      return; // the link stays in its field, to select and copy by hand
    }
    var message = document.querySelector(".share__message");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          message.textContent = button.getAttribute("data-copied");
        },
        function () {
          field.select();
        }
      );
    });
  }

  var forms = document.querySelectorAll(".address-search__form");
  Array.prototype.forEach.call(forms, function (form) {
    if (window.fetch) {
      new Combobox(form);
    }
    setUpPosition(form);
  });
  setUpCopy();
})();
