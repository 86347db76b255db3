// The live screens (the plenum wall's presentation, the live page beside the stream, the panel's
// screen) ask for the event's state every few seconds with the ETag they have: the server answers
// 304 from its cache while nothing changed (live/state.py). Texts come from the page's data
// attributes, so this script holds no language of its own.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-state-url]");
  if (!root) return;
  var url = root.getAttribute("data-live-state-url");
  var seconds = parseInt(root.getAttribute("data-live-seconds"), 10) || 2;
  var etag = null;
  var ideasHtml = null;

  function setText(selector, value) {
    var node = root.querySelector(selector);
    if (node) node.textContent = value === null || value === undefined ? "" : String(value);
  }

  function showQuestion(question) {
    var box = root.querySelector("[data-live-question]");
    if (!box) return;
    box.hidden = !question;
    if (!question) return;
    setText("[data-live-question-text]", question.text);
    setText("[data-live-question-name]", question.name);
    var nameLine = root.querySelector("[data-live-question-name-line]");
    if (nameLine) nameLine.hidden = !question.name;
    setText("[data-live-question-votes]", question.votes);
  }

  function showNext(questions) {
    var list = root.querySelector("[data-live-next]");
    if (!list) return;
    var label = root.getAttribute("data-text-votes") || "";
    list.textContent = "";
    questions.forEach(function (question) {
      var item = document.createElement("li");
      item.className = "kern-body";
      var text = document.createElement("span");
      text.className = "live-panel__text";
      text.textContent = question.text;
      var votes = document.createElement("span");
      votes.className = "live-panel__votes";
      votes.textContent = " " + label + " " + question.votes;
      item.appendChild(text);
      item.appendChild(votes);
      list.appendChild(item);
    });
    var empty = root.querySelector("[data-live-next-empty]");
    if (empty) empty.hidden = questions.length > 0;
  }

  function resultsList(poll) {
    var list = document.createElement("ul");
    list.className = "live-results__options";
    list.setAttribute("data-live-options", "");
    poll.options.forEach(function (option) {
      var item = document.createElement("li");
      item.className = "kern-body";
      var label = document.createElement("span");
      label.id = "poll-option-" + option.id;
      label.className = "live-results__label";
      label.textContent = option.label;
      var count = document.createElement("strong");
      count.textContent = option.count;
      var bar = document.createElement("progress");
      bar.className = "live-results__bar";
      bar.max = 100;
      bar.value = option.percent;
      bar.setAttribute("aria-labelledby", label.id);
      item.appendChild(label);
      item.appendChild(document.createTextNode(": "));
      item.appendChild(count);
      item.appendChild(document.createTextNode(" (" + option.percent + " %) "));
      item.appendChild(bar);
      list.appendChild(item);
    });
    return list;
  }

  function showPoll(poll) {
    var box = root.querySelector("[data-live-poll]");
    if (!box) return;
    var shown = box.getAttribute("data-poll-id") || "";
    var current = poll ? String(poll.id) : "";
    var isWall = root.hasAttribute("data-live-wall");
    if (!isWall && shown !== current) {
      // The participant's form belongs to the poll it was made for: offer the new one, do not swap it.
      var notice = box.querySelector("[data-live-poll-changed]");
      if (notice) notice.hidden = false;
      return;
    }
    if (isWall) {
      box.hidden = !poll;
      box.setAttribute("data-poll-id", current);
      if (!poll) return;
      setText("[data-live-poll-question]", poll.question);
    }
    var results = box.querySelector("[data-live-results]");
    if (!results || !poll) return;
    setText("[data-live-ballots]", poll.ballots);
    var meanLine = results.querySelector("[data-live-mean-line]");
    if (meanLine) meanLine.hidden = poll.mean === null;
    setText("[data-live-mean]", poll.mean);
    var old = results.querySelector("[data-live-options]");
    if (old) old.replaceWith(resultsList(poll));
  }

  function showIdeas(html) {
    var wall = document.getElementById("plenum-wall") || root.querySelector("[data-live-ideas]");
    if (!wall || typeof html !== "string" || html === ideasHtml) return;
    wall.innerHTML = html;
    ideasHtml = html;
  }

  function apply(state) {
    showQuestion(state.question);
    showNext(state.next_questions || []);
    showPoll(state.poll);
    showIdeas(state.ideas_html);
  }

  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(apply);
        }
        return null;
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, seconds * 1000);
      });
  }

  poll();
})();
