//! Response decoding: each documented response (seeds 000–002) and a 1,000-result create
//! response, from JSON and from DataContract XML, through the SDK's decode path, against the
//! floor measured in the same run: plain `serde_json::from_slice` into the same generated type.
//!
//! Benchmarks per document (criterion group `decode/<document>`, throughput in body bytes):
//! - `json_floor`: `serde_json::from_slice::<T>(json)`.
//! - `sdk_json`: what the SDK's transport does with a JSON `200` answer that declares its
//!   length (what ASP.NET sends), from a `reqwest::Response` on: the body read within the cap
//!   (4 MiB), then decoded once (`adultwork::raw::read_and_decode`, the code `Call::send`
//!   runs). The response is built per iteration from the bytes (`http::Response` into
//!   `reqwest::Response`), a cost the floor does not pay and a real call pays in hyper instead.
//! - `sdk_json_chunked`: the same without `Content-Length`.
//! - `reqwest_floor`: the floor for those two rows: the same response built the same way, read
//!   with reqwest's own `bytes()` (no cap) and decoded with `serde_json::from_slice::<T>`, as a
//!   bare reqwest user would. `sdk_json / reqwest_floor` is what the cap and the SDK's decode
//!   cost beyond it.
//! - `sdk_xml`: the SDK's XML path: `xml::from_slice::<T>` (a serde `Deserializer` over
//!   quick-xml events, straight into the generated type).
//! - `quick_xml_serde`: `quick_xml::de::from_str::<T>` into the same type (0.42 has no `from_slice`). quick-xml's serde
//!   cannot read DataContract as it is (it keeps prefixes in names and knows no `i:nil`, and
//!   the performer's element is `Client` where the type says `Performer`), so this row reads
//!   a namespace-free variant of the same document: no `xmlns` declarations but the root's
//!   `xmlns:i` (quick-xml reads `i:nil` itself), no prefixes, `Performer` for `Client`; for a
//!   list root it reads a one-field struct holding the generated item type.
//!   Its throughput is per byte of the DataContract body, like `sdk_xml`'s, so the two rows
//!   compare time per document.
//!
//! The JSON bodies are the docs' samples as a server writes them (compact); the XML bodies
//! are `adultwork::xml::to_string` of the same values, byte for byte what the .NET
//! `DataContractSerializer` writes (checked here against the golden files for seed 000).

#[path = "support/cpu.rs"]
mod cpu;

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use adultwork::types::{
    PhoneChatBooking, WebcamBooking, WebcamBookingResult, WebcamBookingResults,
};
use adultwork::xml;
use bytes::Bytes;
use cpu::ThreadCpu;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Serialize;
use serde::de::DeserializeOwned;

const CREATE_RESULTS: &[u8] =
    include_bytes!("../tests/data/docs/create_webcam_booking.response.json");
const WEBCAM_BOOKING: &[u8] =
    include_bytes!("../tests/data/docs/made_webcam_booking_details.response.json");
const PHONE_CHAT_BOOKING: &[u8] =
    include_bytes!("../tests/data/docs/create_phone_chat_booking.response.json");
const GOLDEN_CREATE_RESULTS: &str =
    include_str!("../tests/data/datacontract/create_results.compact.xml");

/// One document in both formats.
struct Document {
    name: &'static str,
    op: adultwork::Operation,
    operation: &'static xml::Document,
    json: Bytes,
    xml: Bytes,
}

fn document<T: Serialize + DeserializeOwned>(
    name: &'static str,
    operation: &str,
    sample: &[u8],
) -> Document {
    let value: T = serde_json::from_slice(sample).expect("the docs' sample decodes");
    document_of(name, operation, &value)
}

fn document_of<T: Serialize>(name: &'static str, operation: &str, value: &T) -> Document {
    let id = adultwork::Operation::from_id(operation).expect("a known operation");
    let op = id.xml();
    let json = serde_json::to_vec(value).unwrap().into();
    let xml = xml::to_string(op, value).unwrap().into();
    Document {
        name,
        op: id,
        operation: op,
        json,
        xml,
    }
}

fn documents() -> Vec<Document> {
    let create =
        document::<WebcamBookingResults>("create_results", "create_webcam_booking", CREATE_RESULTS);
    assert_eq!(
        std::str::from_utf8(&create.xml).unwrap(),
        GOLDEN_CREATE_RESULTS,
        "xml::to_string writes what the real serializer writes"
    );
    let three: Vec<WebcamBookingResult> = serde_json::from_slice(CREATE_RESULTS).unwrap();
    let large: Vec<WebcamBookingResult> = (0..1000)
        .map(|i| {
            let mut r = three[i % 3].clone();
            r.user_id = 100_000 + i as i64;
            r.booking_id = r.booking_id.map(|_| 1 + i as i64);
            r
        })
        .collect();
    vec![
        create,
        document::<WebcamBooking>(
            "webcam_booking",
            "get_made_webcam_booking_details",
            WEBCAM_BOOKING,
        ),
        document::<PhoneChatBooking>(
            "phone_chat_booking",
            "create_phone_chat_booking",
            PHONE_CHAT_BOOKING,
        ),
        document_of(
            "create_results_1000",
            "create_webcam_booking",
            &WebcamBookingResults(large),
        ),
    ]
}

/// Polls a future that is ready at once (reading a body that is already in memory).
fn now<F: Future>(f: F) -> F::Output {
    match pin!(f).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => unreachable!("an in-memory body is ready at once"),
    }
}

/// A response holding `body`, as a `reqwest::Response` (with `Content-Length` when `declared`).
fn response(body: &Bytes, declared: bool) -> reqwest::Response {
    let mut response = http::Response::builder()
        .status(http::StatusCode::OK)
        .header(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json; charset=utf-8"),
        );
    if declared {
        response = response.header(http::header::CONTENT_LENGTH, body.len());
    }
    reqwest::Response::from(response.body(body.clone()).unwrap())
}

/// What a bare reqwest user does with a JSON answer: `bytes()`, then `serde_json`.
fn reqwest_floor<T: DeserializeOwned>(body: &Bytes) -> T {
    serde_json::from_slice(&now(response(body, true).bytes()).unwrap()).unwrap()
}

/// The SDK's read of a `200` JSON answer within the cap and its one decode, from a response
/// holding `body` (with `Content-Length` when `declared`).
fn sdk_json<T: DeserializeOwned>(op: adultwork::Operation, body: &Bytes, declared: bool) -> T {
    now(adultwork::raw::read_and_decode(
        response(body, declared),
        op,
        adultwork::Format::Json,
        adultwork::DEFAULT_MAX_BODY,
    ))
    .unwrap()
}

fn sdk_xml<T: DeserializeOwned>(op: &'static xml::Document, body: &[u8]) -> T {
    xml::from_slice(op, body).unwrap()
}

/// The namespace-free variant of a DataContract document that quick-xml's serde reads (see
/// the module documentation).
fn namespace_free(xml: &[u8]) -> String {
    let text = std::str::from_utf8(xml).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('>').unwrap();
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let nil = tag.contains("i:nil=\"true\"");
        let (slash, tag) = tag.strip_prefix('/').map_or(("", tag), |t| ("/", t));
        let name = tag.split([' ', '/']).next().unwrap();
        let local = name.rsplit(':').next().unwrap();
        let local = if local == "Client" {
            "Performer"
        } else {
            local
        };
        out.push('<');
        out.push_str(slash);
        out.push_str(local);
        if out.len() == local.len() + 1 {
            // The root keeps the XSI namespace, which quick-xml reads `i:nil` by.
            out.push_str(&format!(r#" xmlns:i="{}""#, xml::XSI_NAMESPACE));
        }
        if nil {
            out.push_str(r#" i:nil="true""#);
        }
        if tag.ends_with('/') {
            out.push('/');
        }
        out.push('>');
    }
    out.push_str(rest);
    out
}

/// What quick-xml's serde reads each document's type from.
trait QuickXml: Sized {
    fn quick_xml(body: &str) -> Result<Self, quick_xml::DeError>;
}

impl QuickXml for WebcamBooking {
    fn quick_xml(body: &str) -> Result<Self, quick_xml::DeError> {
        quick_xml::de::from_str(body)
    }
}

impl QuickXml for PhoneChatBooking {
    fn quick_xml(body: &str) -> Result<Self, quick_xml::DeError> {
        quick_xml::de::from_str(body)
    }
}

/// quick-xml reads a list from a field holding the repeated items, so the root gets a
/// one-field struct around the generated item type.
impl QuickXml for WebcamBookingResults {
    fn quick_xml(body: &str) -> Result<Self, quick_xml::DeError> {
        #[derive(serde::Deserialize)]
        struct Root {
            #[serde(rename = "WebcamBookingResult", default)]
            items: Vec<WebcamBookingResult>,
        }
        quick_xml::de::from_str::<Root>(body).map(|r| WebcamBookingResults(r.items))
    }
}

fn bench_document<T: DeserializeOwned + QuickXml + PartialEq + std::fmt::Debug>(
    c: &mut Criterion<ThreadCpu>,
    doc: &Document,
) {
    // Every path gives the same value.
    let floor: T = serde_json::from_slice(&doc.json).unwrap();
    assert_eq!(reqwest_floor::<T>(&doc.json), floor);
    assert_eq!(sdk_json::<T>(doc.op, &doc.json, true), floor);
    assert_eq!(sdk_json::<T>(doc.op, &doc.json, false), floor);
    assert_eq!(sdk_xml::<T>(doc.operation, &doc.xml), floor);
    let plain = namespace_free(&doc.xml);
    let quick = T::quick_xml(&plain);

    let mut g = c.benchmark_group(format!("decode/{}", doc.name));
    g.throughput(Throughput::Bytes(doc.json.len() as u64));
    g.bench_function("json_floor", |b| {
        b.iter(|| serde_json::from_slice::<T>(black_box(&doc.json)).unwrap())
    });
    g.bench_function("reqwest_floor", |b| {
        b.iter(|| reqwest_floor::<T>(black_box(&doc.json)))
    });
    g.bench_function("sdk_json", |b| {
        b.iter(|| sdk_json::<T>(doc.op, black_box(&doc.json), true))
    });
    g.bench_function("sdk_json_chunked", |b| {
        b.iter(|| sdk_json::<T>(doc.op, black_box(&doc.json), false))
    });
    g.throughput(Throughput::Bytes(doc.xml.len() as u64));
    g.bench_function("sdk_xml", |b| {
        b.iter(|| sdk_xml::<T>(doc.operation, black_box(&doc.xml)))
    });
    match quick {
        Ok(v) => {
            assert_eq!(v, floor, "quick-xml reads the same value");
            g.bench_function("quick_xml_serde", |b| {
                b.iter(|| T::quick_xml(black_box(&plain)).unwrap())
            });
        }
        Err(e) => eprintln!("{}: quick-xml's serde cannot read it: {e}", doc.name),
    }
    g.finish();
}

fn decode(c: &mut Criterion<ThreadCpu>) {
    for doc in documents() {
        match doc.name {
            "webcam_booking" => bench_document::<WebcamBooking>(c, &doc),
            "phone_chat_booking" => bench_document::<PhoneChatBooking>(c, &doc),
            _ => bench_document::<WebcamBookingResults>(c, &doc),
        }
    }
}

criterion_group! {
    name = benches;
    config = cpu::criterion();
    targets = decode
}
criterion_main!(benches);
