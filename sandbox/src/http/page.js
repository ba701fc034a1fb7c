// The sandbox page's buttons: each calls a control endpoint of this same sandbox with
// Content-Type: application/json, then reloads the page (or says what went wrong).
"use strict";

const FLASH = "adultwork-sandbox-flash";

function say(text) {
  document.getElementById("flash").textContent = text;
}

async function send(method, path, body, done) {
  say("Working…");
  try {
    const res = await fetch(path, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      let message = res.statusText;
      try {
        message = (await res.json()).Message || message;
      } catch (_) {
        // not JSON: keep the status text
      }
      say(`Refused (${res.status}): ${message}`);
      return;
    }
    sessionStorage.setItem(FLASH, done);
    location.reload();
  } catch (e) {
    say(`The sandbox did not answer: ${e}`);
  }
}

function parseRules(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    say(`The rules are not JSON: ${e.message}`);
    return undefined;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    say(flash);
  }
  for (const b of document.querySelectorAll("button[data-action]")) {
    b.addEventListener("click", () => {
      const { kind, id, action } = b.dataset;
      const body = {};
      if (action === "reject") {
        const reason = document.getElementById(`${kind}-${id}-reason`).value.trim();
        if (reason) body.Reason = reason;
      }
      const what = kind === "webcam" ? "Webcam" : "Phone-chat";
      send("POST", `/_sandbox/${kind}/${id}/${action}`, body, `${what} booking ${id} ${action}ed.`);
    });
  }
  for (const b of document.querySelectorAll("button[data-advance]")) {
    b.addEventListener("click", () => {
      const minutes = Number(b.dataset.advance);
      send("POST", "/_sandbox/clock", { AdvanceMinutes: minutes }, `The clock moved ${b.textContent}.`);
    });
  }
  document.getElementById("set-clock").addEventListener("submit", (e) => {
    e.preventDefault();
    const now = document.getElementById("clock-now").value.trim();
    send("POST", "/_sandbox/clock", { Now: now }, `The clock is set to ${now}.`);
  });
  const clear = document.getElementById("clear-faults");
  if (clear) {
    clear.addEventListener("click", () => send("DELETE", "/_sandbox/faults", undefined, "Every fault rule is removed."));
  }
  document.getElementById("add-faults").addEventListener("submit", (e) => {
    e.preventDefault();
    const rules = parseRules(document.getElementById("faults-json").value);
    if (rules !== undefined) send("POST", "/_sandbox/faults", rules, "The rules are added.");
  });
});
