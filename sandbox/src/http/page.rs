//! `GET /_sandbox/`: a page where a person plays the performer. Server-rendered HTML listing
//! every booking, the clock and the fault rules, with buttons that call the control
//! endpoints through a small served script (`page.js`). Every string that came from a
//! request is escaped; the page's Content-Security-Policy runs no script but its own.

use std::fmt::Write as _;

use adultwork::Timestamp;
use adultwork::types::{PhoneChatBooking, WebcamBooking};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName};
use axum::response::{IntoResponse, Response};

use crate::domain::faults::Faults;
use crate::domain::state::SandboxState;

/// The most bookings of each kind the page lists (the latest ones): a limit of the page, so
/// that a full sandbox still answers with a page a browser can show.
pub const MAX_LISTED: usize = 200;

const SCRIPT: &str = include_str!("page.js");
const STYLE: &str = include_str!("page.css");

/// The page's view of the sandbox: its bookings and clock, and its fault rules.
#[derive(Clone)]
pub struct PageState {
    pub state: SandboxState,
    pub faults: Faults,
}

/// The headers every part of the page is served with: no caching, no sniffing, no framing,
/// and no script, style or connection but the sandbox's own.
fn headers(content_type: &'static str) -> [(HeaderName, &'static str); 5] {
    [
        (CONTENT_TYPE, content_type),
        (CACHE_CONTROL, "no-store"),
        (HeaderName::from_static("x-content-type-options"), "nosniff"),
        (HeaderName::from_static("referrer-policy"), "no-referrer"),
        (
            HeaderName::from_static("content-security-policy"),
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
             form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
        ),
    ]
}

/// `GET /_sandbox/page.js`.
pub async fn script() -> Response {
    (headers("text/javascript; charset=utf-8"), SCRIPT).into_response()
}

/// `GET /_sandbox/page.css`.
pub async fn style() -> Response {
    (headers("text/css; charset=utf-8"), STYLE).into_response()
}

/// `GET /_sandbox/`: the page.
pub async fn page(State(p): State<PageState>) -> Response {
    (headers("text/html; charset=utf-8"), render(&p)).into_response()
}

/// Escapes text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn stamp(t: &Timestamp) -> String {
    esc(&t.to_string())
}

/// A booking's timestamps, one per line, those it has.
fn dates(list: &[(&str, Option<&Timestamp>)]) -> String {
    list.iter()
        .filter_map(|(name, t)| {
            t.map(|t| format!("<span class=\"k\">{name}</span> <time>{}</time>", stamp(t)))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The whole page.
fn render(p: &PageState) -> String {
    // The latest bookings as the API would show them now (expired ones rejected).
    let latest = p.state.latest(MAX_LISTED);
    let clock = p.state.clock();
    let now = Timestamp::from_naive(clock.now()).to_string();
    let mut h = String::with_capacity(16 * 1024);
    h.push_str(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>AdultWork sandbox</title>\n\
         <link rel=\"stylesheet\" href=\"/_sandbox/page.css\">\n\
         <script src=\"/_sandbox/page.js\" defer></script>\n</head>\n<body>\n\
         <header><h1>AdultWork sandbox</h1>\n\
         <p>Play the performer (or phone-chat candidate): accept, reject or confirm the bookings \
         your app made, move the sandbox's clock, and see the fault rules in force.</p></header>\n\
         <p id=\"flash\" role=\"status\" aria-live=\"polite\"></p>\n<main>\n",
    );
    let _ = write!(
        h,
        "<section aria-labelledby=\"clock-h\">\n<h2 id=\"clock-h\">Clock</h2>\n\
         <p>Sandbox time: <time id=\"now\" datetime=\"{now}\">{now}</time> ({state})</p>\n\
         <div role=\"group\" aria-label=\"Move the clock forward\" class=\"buttons\">\n",
        now = esc(&now),
        state = if clock.is_frozen() {
            "frozen: it moves only when you move it"
        } else {
            "running"
        },
    );
    for (minutes, label) in [(5, "+5 minutes"), (60, "+1 hour"), (1440, "+1 day")] {
        let _ = writeln!(
            h,
            "<button type=\"button\" data-advance=\"{minutes}\">{label}</button>"
        );
    }
    let _ = write!(
        h,
        "</div>\n<form id=\"set-clock\">\n<label for=\"clock-now\">Set the clock to \
         (YYYY-MM-DDTHH:MM:SS)</label>\n<input id=\"clock-now\" name=\"now\" type=\"text\" \
         value=\"{now}\" required>\n<button type=\"submit\">Set clock</button>\n</form>\n\
         </section>\n",
        now = esc(&now)
    );
    webcam_section(&mut h, &latest.webcam, latest.webcam_total);
    phone_section(&mut h, &latest.phone_chat, latest.phone_chat_total);
    faults_section(&mut h, &p.faults);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// Says how many bookings are left off when there are more than the page lists.
fn shown_count(h: &mut String, shown: usize, total: usize) {
    if total > shown {
        let _ = writeln!(
            h,
            "<p>Showing the latest {shown} of {total} (the page lists at most {MAX_LISTED}).</p>"
        );
    }
}

/// The accept / reject (with a reason) / confirm controls of one booking; only the ones its
/// status allows are enabled.
fn actions(h: &mut String, kind: &str, what: &str, id: i64, status: &str) {
    let off = |allowed: bool| if allowed { "" } else { " disabled" };
    let pending = status == "Pending";
    let _ = write!(
        h,
        "<td class=\"actions\"><div>\
         <button type=\"button\" data-kind=\"{kind}\" data-id=\"{id}\" data-action=\"accept\" \
         aria-label=\"Accept {what} booking {id}\"{a}>Accept</button>\
         <button type=\"button\" data-kind=\"{kind}\" data-id=\"{id}\" data-action=\"confirm\" \
         aria-label=\"Confirm {what} booking {id}\"{c}>Confirm</button></div><div>\
         <label for=\"{kind}-{id}-reason\">Reason</label>\
         <input id=\"{kind}-{id}-reason\" type=\"text\" maxlength=\"1024\"{a}>\
         <button type=\"button\" data-kind=\"{kind}\" data-id=\"{id}\" data-action=\"reject\" \
         aria-label=\"Reject {what} booking {id}\"{a}>Reject</button></div></td>",
        a = off(pending),
        c = off(status == "Accepted"),
    );
}

/// The reasons and who cancelled, for the notes column.
fn notes(rejected: Option<&str>, cancelled: Option<&str>, by: Option<&str>) -> String {
    let mut out = Vec::new();
    if let Some(r) = rejected {
        out.push(format!("Rejected: {}", esc(r)));
    }
    if let Some(r) = cancelled {
        out.push(format!("Cancelled: {}", esc(r)));
    }
    if let Some(b) = by {
        out.push(format!("by {}", esc(b)));
    }
    out.join("<br>")
}

fn webcam_section(h: &mut String, bookings: &[WebcamBooking], total: usize) {
    h.push_str(
        "<section aria-labelledby=\"webcam-h\">\n<h2 id=\"webcam-h\">Webcam bookings</h2>\n",
    );
    shown_count(h, bookings.len(), total);
    if bookings.is_empty() {
        h.push_str("<p>No webcam bookings yet.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<table>\n<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Invitee (performer)</th><th scope=\"col\">Client's sign-in</th>\
         <th scope=\"col\">Session</th><th scope=\"col\">Timestamps</th>\
         <th scope=\"col\">Notes</th><th scope=\"col\">Act as the performer</th></tr></thead>\n\
         <tbody>\n",
    );
    for b in bookings {
        let id = b.webcam_booking_id;
        let status = b.status.as_str();
        let _ = write!(
            h,
            "<tr id=\"webcam-{id}\"><th scope=\"row\">{id}</th>\
             <td class=\"status\">{status}</td><td>{nick} ({uid})</td>\
             <td>{sign_in} ({software})</td>\
             <td><time>{session}</time><br>{minutes} min, {credits} credits</td>\
             <td class=\"dates\">{dates}</td><td>{notes}</td>",
            status = esc(status),
            nick = esc(&b.performer.nickname),
            uid = b.performer.user_id,
            sign_in = esc(&b.sign_in_name_or_email),
            software = esc(&b.software_type_id.to_string()),
            session = stamp(&b.session_date),
            minutes = b.duration,
            credits = esc(&b.credits.to_string()),
            dates = dates(&[
                ("Created", Some(&b.create_date)),
                ("Accept by", Some(&b.accept_by)),
                ("Accepted", b.accepted_date.as_ref()),
                ("Confirmed", b.confirmed_date.as_ref()),
                ("Cancelled", b.cancelled_date.as_ref()),
                ("Updated", b.last_updated.as_ref()),
            ]),
            notes = notes(
                b.rejected_reason.as_deref(),
                b.cancelled_reason.as_deref(),
                b.cancelled_by.as_deref()
            ),
        );
        actions(h, "webcam", "webcam", id, status);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn phone_section(h: &mut String, bookings: &[PhoneChatBooking], total: usize) {
    h.push_str(
        "<section aria-labelledby=\"phone-h\">\n<h2 id=\"phone-h\">Phone-chat bookings</h2>\n",
    );
    shown_count(h, bookings.len(), total);
    if bookings.is_empty() {
        h.push_str("<p>No phone-chat bookings yet.</p>\n</section>\n");
        return;
    }
    h.push_str(
        "<table>\n<thead><tr><th scope=\"col\">ID</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Invitee (candidate)</th><th scope=\"col\">Method</th>\
         <th scope=\"col\">Session</th><th scope=\"col\">Timestamps</th>\
         <th scope=\"col\">Comments and notes</th><th scope=\"col\">Act as the candidate</th>\
         </tr></thead>\n<tbody>\n",
    );
    for b in bookings {
        let id = b.booking_id;
        let status = b.status.as_str();
        let contact = b
            .phone_number
            .as_deref()
            .or(b.skype_name.as_deref())
            .map(|c| format!(": {}", esc(c)))
            .unwrap_or_default();
        let mut comments = b
            .comments
            .as_deref()
            .map(|c| format!("“{}”", esc(c)))
            .unwrap_or_default();
        let more = notes(
            b.rejected_reason.as_deref(),
            b.cancelled_reason.as_deref(),
            b.cancelled_by.as_deref(),
        );
        if !more.is_empty() {
            if !comments.is_empty() {
                comments.push_str("<br>");
            }
            comments.push_str(&more);
        }
        let _ = write!(
            h,
            "<tr id=\"phonechat-{id}\"><th scope=\"row\">{id}</th>\
             <td class=\"status\">{status}</td><td>{nick} ({uid})</td>\
             <td>{method}{contact}</td>\
             <td><time>{session}</time><br>{minutes} min, {credits} credits</td>\
             <td class=\"dates\">{dates}</td><td>{comments}</td>",
            status = esc(status),
            nick = esc(&b.candidate.nickname),
            uid = b.candidate.user_id,
            method = esc(&b.method.to_string()),
            session = stamp(&b.session_date),
            minutes = b.duration,
            credits = esc(&b.credits.to_string()),
            dates = dates(&[
                ("Created", Some(&b.create_date)),
                ("Accept by", Some(&b.accept_by)),
                ("Accepted", b.accepted_date.as_ref()),
                ("Confirmed", b.confirmed_date.as_ref()),
                ("Cancelled", b.cancelled_date.as_ref()),
                ("Updated", b.last_updated.as_ref()),
            ]),
        );
        actions(h, "phonechat", "phone-chat", id, status);
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn faults_section(h: &mut String, faults: &Faults) {
    h.push_str("<section aria-labelledby=\"faults-h\">\n<h2 id=\"faults-h\">Fault rules</h2>\n");
    let rules = faults.list();
    if rules.is_empty() {
        h.push_str("<p>No fault rules: every request is answered promptly and correctly.</p>\n");
    } else {
        h.push_str(
            "<table id=\"faults\">\n<thead><tr><th scope=\"col\">#</th>\
             <th scope=\"col\">Operation</th><th scope=\"col\">Token</th>\
             <th scope=\"col\">Times</th><th scope=\"col\">Probability (seed)</th>\
             <th scope=\"col\">Effect</th><th scope=\"col\">Fired</th></tr></thead>\n<tbody>\n",
        );
        for (i, r) in rules.iter().enumerate() {
            let rule = &r.rule;
            let probability = rule.probability.map_or_else(
                || "always".to_string(),
                |p| match rule.seed {
                    Some(seed) => format!("{p} (seed {seed})"),
                    None => p.to_string(),
                },
            );
            let effect = serde_json::to_string(&rule.effect).unwrap_or_default();
            let _ = writeln!(
                h,
                "<tr><th scope=\"row\">{n}</th><td>{op}</td><td>{token}</td><td>{times}</td>\
                 <td>{probability}</td><td><code>{effect}</code></td><td>{fired}</td></tr>",
                n = i + 1,
                op = esc(&rule.operation),
                token = rule.token.as_deref().map_or_else(|| "any".to_string(), esc),
                times = rule
                    .times
                    .map_or_else(|| "every match".to_string(), |n| n.to_string()),
                effect = esc(&effect),
                fired = r.fired,
            );
        }
        h.push_str(
            "</tbody>\n</table>\n\
             <button type=\"button\" id=\"clear-faults\">Remove every fault rule</button>\n",
        );
    }
    h.push_str(
        "<form id=\"add-faults\">\n<label for=\"faults-json\">Add rules (JSON, as POST \
         /_sandbox/faults takes)</label>\n<textarea id=\"faults-json\" rows=\"4\" \
         required>{\"Rules\": [{\"Operation\": \"*\", \"Times\": 1, \"Effect\": {\"Respond\": \
         {\"Status\": 503, \"Message\": \"Try later\", \"RetryAfter\": 1}}}]}</textarea>\n\
         <button type=\"submit\">Add rules</button>\n</form>\n</section>\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            esc(r#"<script>alert('x')</script> & "q""#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
