"""Smoke test of the Python client openapi-generator makes from openapi.yaml (package
`adultwork_og`): create a webcam booking, read it, read it as the group manager.

Usage: python openapi_generator_smoke.py BASE_URL   (sandbox with default data)
"""

import datetime as dt
import sys

import adultwork_og
from adultwork_og.models import CreateWebcamBookingRequest, SoftwareType

base = sys.argv[1].rstrip("/")


def api(token: str) -> adultwork_og.ApiClient:
    return adultwork_og.ApiClient(adultwork_og.Configuration(host=base, access_token=token))


session = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
webcam = adultwork_og.WebcamApi(api("sandbox-client-token"))
results = webcam.create_webcam_booking(
    CreateWebcamBookingRequest(
        BookUserIDs="123456", SessionDate=session, Duration=10, Credits=10,
        SoftwareTypeID=SoftwareType.Skype, SignInNameOrEmail="BookingUserOnSkype",
    )
)
assert [r.status for r in results] == [0], results
booking = webcam.get_made_webcam_booking_details(booking_id=results[0].booking_id)
assert booking.status == "Pending" and booking.is_mulitple is False, booking
group = adultwork_og.GroupsApi(api("sandbox-manager-token"))
seen = group.get_group_made_webcam_booking_details(user_id=100001, booking_id=booking.webcam_booking_id)
assert seen.webcam_booking_id == booking.webcam_booking_id
print("openapi-generator python client: ok")
