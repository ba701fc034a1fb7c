// Golden-file generator: serializes the AdultWork booking models with the real
// System.Runtime.Serialization.DataContractSerializer (Mono's copy of the .NET
// Framework reference source) so the Rust XML decoder / sandbox encoder can be
// compared byte-for-byte against what a .NET (ASP.NET Web API) server writes.
//
// Build + run: see generate.sh (and README.md) in this directory.
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization;
using System.Text;
using System.Xml;

namespace Golden
{
    static class Ns
    {
        public const string Webcam = "http://schemas.datacontract.org/2004/07/API.Models.Webcam";
        public const string WebcamMade = "http://schemas.datacontract.org/2004/07/API.Models.Webcam.Made";
        public const string WebcamReceived = "http://schemas.datacontract.org/2004/07/API.Models.Webcam.Received";
        public const string Profile = "http://schemas.datacontract.org/2004/07/API.Models.Profile";
        public const string PhoneChatBookings = "http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings";
        public const string PhoneChatMade = "http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings.Made";
        public const string Probe = "http://schemas.datacontract.org/2004/07/Golden.Probe";
    }

    // ---------------------------------------------------------------- Webcam

    [DataContract(Name = "WebcamBookingResult", Namespace = Ns.Webcam)]
    public class WebcamBookingResult
    {
        [DataMember] public bool AlsoPhoneChat { get; set; }
        [DataMember] public int? BookingID { get; set; }
        [DataMember] public int Status { get; set; }
        [DataMember] public string StatusDescription { get; set; }
        [DataMember] public int UserID { get; set; }
    }

    // Feedback summary base class shared by the performer / candidate types.
    [DataContract(Name = "FeedbackSummary", Namespace = Ns.Profile)]
    public class FeedbackSummary
    {
        [DataMember] public int Total { get; set; }
        [DataMember] public int Positive { get; set; }
        [DataMember] public int Neutral { get; set; }
        [DataMember] public int Negative { get; set; }
        [DataMember] public int Ratings { get; set; }
        [DataMember] public int Disputes { get; set; }
    }

    [DataContract(Name = "WebcamBookingPerformer", Namespace = Ns.WebcamMade)]
    public class WebcamBookingPerformerMade : FeedbackSummary
    {
        [DataMember] public int UserID { get; set; }
        [DataMember] public string Nickname { get; set; }
        [DataMember] public string SignInNameOrEmail { get; set; }
        [DataMember] public string PhoneNumber { get; set; }
    }

    [DataContract(Name = "WebcamBookingPerformer", Namespace = Ns.WebcamReceived)]
    public class WebcamBookingPerformerReceived : FeedbackSummary
    {
        [DataMember] public int UserID { get; set; }
        [DataMember] public string Nickname { get; set; }
        [DataMember] public string SignInNameOrEmail { get; set; }
        [DataMember] public string PhoneNumber { get; set; }
    }

    // The three WebcamBooking classes repeat the same members (no shared base
    // class) so that every member lives in the contract's own namespace, as in the docs.
    [DataContract(Name = "WebcamBooking", Namespace = Ns.WebcamMade)]
    public class WebcamBookingMade
    {
        [DataMember] public int WebcamBookingID { get; set; }
        [DataMember] public int Duration { get; set; }
        [DataMember] public decimal Credits { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public bool IsMulitple { get; set; }
        [DataMember] public int SoftwareTypeID { get; set; }
        [DataMember] public string SignInNameOrEmail { get; set; }
        [DataMember] public bool AlsoPhoneChat { get; set; }
        [DataMember] public DateTime CreateDate { get; set; }
        [DataMember] public DateTime SessionDate { get; set; }
        [DataMember] public DateTime AcceptBy { get; set; }
        [DataMember] public DateTime? AcceptedDate { get; set; }
        [DataMember] public DateTime? ConfirmedDate { get; set; }
        [DataMember] public DateTime? CancelledDate { get; set; }
        [DataMember] public string CancelledReason { get; set; }
        [DataMember] public string CancelledBy { get; set; }
        [DataMember] public string RejectedReason { get; set; }
        [DataMember] public DateTime? LastUpdated { get; set; }
        [DataMember(Name = "Client")] public WebcamBookingPerformerMade Performer { get; set; }
    }

    // Received namespace, user member named "Performer" (as in the docs' cancel sample).
    [DataContract(Name = "WebcamBooking", Namespace = Ns.WebcamReceived)]
    public class WebcamBookingReceived
    {
        [DataMember] public int WebcamBookingID { get; set; }
        [DataMember] public int Duration { get; set; }
        [DataMember] public decimal Credits { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public bool IsMulitple { get; set; }
        [DataMember] public int SoftwareTypeID { get; set; }
        [DataMember] public string SignInNameOrEmail { get; set; }
        [DataMember] public bool AlsoPhoneChat { get; set; }
        [DataMember] public DateTime CreateDate { get; set; }
        [DataMember] public DateTime SessionDate { get; set; }
        [DataMember] public DateTime AcceptBy { get; set; }
        [DataMember] public DateTime? AcceptedDate { get; set; }
        [DataMember] public DateTime? ConfirmedDate { get; set; }
        [DataMember] public DateTime? CancelledDate { get; set; }
        [DataMember] public string CancelledReason { get; set; }
        [DataMember] public string CancelledBy { get; set; }
        [DataMember] public string RejectedReason { get; set; }
        [DataMember] public DateTime? LastUpdated { get; set; }
        [DataMember(Name = "Performer")] public WebcamBookingPerformerReceived Performer { get; set; }
    }

    // Received namespace, user member named "Client" (alternative naming).
    [DataContract(Name = "WebcamBooking", Namespace = Ns.WebcamReceived)]
    public class WebcamBookingReceivedClient
    {
        [DataMember] public int WebcamBookingID { get; set; }
        [DataMember] public int Duration { get; set; }
        [DataMember] public decimal Credits { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public bool IsMulitple { get; set; }
        [DataMember] public int SoftwareTypeID { get; set; }
        [DataMember] public string SignInNameOrEmail { get; set; }
        [DataMember] public bool AlsoPhoneChat { get; set; }
        [DataMember] public DateTime CreateDate { get; set; }
        [DataMember] public DateTime SessionDate { get; set; }
        [DataMember] public DateTime AcceptBy { get; set; }
        [DataMember] public DateTime? AcceptedDate { get; set; }
        [DataMember] public DateTime? ConfirmedDate { get; set; }
        [DataMember] public DateTime? CancelledDate { get; set; }
        [DataMember] public string CancelledReason { get; set; }
        [DataMember] public string CancelledBy { get; set; }
        [DataMember] public string RejectedReason { get; set; }
        [DataMember] public DateTime? LastUpdated { get; set; }
        [DataMember(Name = "Client")] public WebcamBookingPerformerReceived Performer { get; set; }
    }

    // ------------------------------------------------------------- PhoneChat

    [DataContract(Name = "PhoneChatBookingUser", Namespace = Ns.PhoneChatBookings)]
    public class PhoneChatBookingUser : FeedbackSummary
    {
        [DataMember] public int UserID { get; set; }
        [DataMember] public string Nickname { get; set; }
        [DataMember] public string PhoneNumber { get; set; }
        [DataMember] public string SkypeName { get; set; }
    }

    [DataContract(Name = "MadeBooking", Namespace = Ns.PhoneChatMade)]
    public class MadeBooking
    {
        [DataMember] public int BookingID { get; set; }
        [DataMember] public int Duration { get; set; }
        [DataMember] public decimal Credits { get; set; }
        [DataMember] public string Status { get; set; }
        [DataMember] public int Method { get; set; }
        [DataMember] public string PhoneNumber { get; set; }
        [DataMember] public string SkypeName { get; set; }
        [DataMember] public DateTime CreateDate { get; set; }
        [DataMember] public DateTime SessionDate { get; set; }
        [DataMember] public DateTime AcceptBy { get; set; }
        [DataMember] public DateTime? AcceptedDate { get; set; }
        [DataMember] public DateTime? ConfirmedDate { get; set; }
        [DataMember] public DateTime? CancelledDate { get; set; }
        [DataMember] public string CancelledReason { get; set; }
        [DataMember] public string CancelledBy { get; set; }
        [DataMember] public string RejectedReason { get; set; }
        [DataMember] public DateTime? LastUpdated { get; set; }
        [DataMember] public string Comments { get; set; }
        [DataMember] public string ActionClient { get; set; }
        [DataMember] public PhoneChatBookingUser Candidate { get; set; }
    }

    // ---------------------------------------------------------------- Probes

    // Scalar formatting probe: DateTime kinds / fractions, DateTimeOffset, decimal scales.
    [DataContract(Name = "ScalarProbe", Namespace = Ns.Probe)]
    public class ScalarProbe
    {
        [DataMember(Order = 1)] public DateTime Dt01_Unspecified_Whole { get; set; }
        [DataMember(Order = 2)] public DateTime Dt02_Unspecified_Millis789 { get; set; }
        [DataMember(Order = 3)] public DateTime Dt03_Unspecified_Ticks1234567 { get; set; }
        [DataMember(Order = 4)] public DateTime Dt04_Unspecified_Ticks1000000 { get; set; }
        [DataMember(Order = 5)] public DateTime Dt05_Unspecified_Ticks0000001 { get; set; }
        [DataMember(Order = 6)] public DateTime Dt06_Unspecified_Ticks1200000 { get; set; }
        [DataMember(Order = 7)] public DateTime Dt07_Utc_Whole { get; set; }
        [DataMember(Order = 8)] public DateTime Dt08_Utc_Ticks1234567 { get; set; }
        [DataMember(Order = 9)] public DateTime Dt09_Local_Winter_Whole { get; set; }
        [DataMember(Order = 10)] public DateTime Dt10_Local_Summer_Whole { get; set; }
        [DataMember(Order = 11)] public DateTime Dt11_Local_Summer_Ticks1234567 { get; set; }
        [DataMember(Order = 12)] public DateTime Dt12_MinValue { get; set; }
        [DataMember(Order = 13)] public DateTime Dt13_MaxValue { get; set; }
        [DataMember(Order = 14)] public DateTime? Dt14_Nullable_Null { get; set; }
        [DataMember(Order = 15)] public DateTime? Dt15_Nullable_Utc { get; set; }
        [DataMember(Order = 16)] public DateTimeOffset Dto16_Plus0530 { get; set; }
        [DataMember(Order = 17)] public DateTimeOffset Dto17_Minus0800_Ticks1234567 { get; set; }
        [DataMember(Order = 20)] public decimal Dec20_32 { get; set; }
        [DataMember(Order = 21)] public decimal Dec21_32_0000 { get; set; }
        [DataMember(Order = 22)] public decimal Dec22_10_5 { get; set; }
        [DataMember(Order = 23)] public decimal Dec23_10_50 { get; set; }
        [DataMember(Order = 24)] public decimal Dec24_8_0000 { get; set; }
        [DataMember(Order = 25)] public decimal Dec25_0 { get; set; }
        [DataMember(Order = 26)] public decimal Dec26_0_0000 { get; set; }
        [DataMember(Order = 27)] public decimal Dec27_Minus1_25 { get; set; }
        [DataMember(Order = 28)] public decimal Dec28_0_0001 { get; set; }
        [DataMember(Order = 29)] public decimal Dec29_1234567_8901 { get; set; }
        [DataMember(Order = 30)] public decimal? Dec30_Nullable_Null { get; set; }
        [DataMember(Order = 31)] public decimal Dec31_Divided_10_3 { get; set; }
        [DataMember(Order = 40)] public bool Bool40_True { get; set; }
        [DataMember(Order = 41)] public bool Bool41_False { get; set; }
        [DataMember(Order = 42)] public int Int42_Negative { get; set; }
        [DataMember(Order = 43)] public int? Int43_Nullable_Null { get; set; }
    }

    // Member-ordering and string-escaping probe (no Order => default ordering).
    [DataContract(Name = "OrderingProbe", Namespace = Ns.Probe)]
    public class OrderingProbe
    {
        [DataMember] public string b_lower { get; set; }
        [DataMember] public string A_Upper { get; set; }
        [DataMember] public string Z_Upper { get; set; }
        [DataMember] public string a_lower { get; set; }
        [DataMember] public string _underscore { get; set; }
        [DataMember] public string AcceptedDate { get; set; }
        [DataMember] public string AcceptBy { get; set; }
        [DataMember] public string EmptyString { get; set; }
        [DataMember] public string NullString { get; set; }
        [DataMember] public string Escaping { get; set; }
        [DataMember] public string Newlines { get; set; }
        [DataMember] public string NonAscii { get; set; }
        [DataMember] public string Whitespace { get; set; }
    }

    // ------------------------------------------------------------------ Main

    static class Program
    {
        // What ASP.NET Web API's XmlMediaTypeFormatter uses (System.Net.Http.Formatting):
        //   new XmlWriterSettings { OmitXmlDeclaration = true, CloseOutput = false, CheckCharacters = false }
        //   + Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
        //   serializer = new DataContractSerializer(type); serializer.WriteObject(xmlWriter, value)
        // NewLineChars is Environment.NewLine by default; a Windows server has "\r\n",
        // so the compact ("wire") files pin it to "\r\n" to match such a server.
        static XmlWriterSettings WireSettings()
        {
            return new XmlWriterSettings
            {
                OmitXmlDeclaration = true,
                CloseOutput = false,
                CheckCharacters = false,
                Encoding = new UTF8Encoding(false, true),
                NewLineChars = "\r\n",
            };
        }

        // Same as the wire settings, but indented (two spaces, "\n") for humans.
        static XmlWriterSettings IndentSettings()
        {
            var s = WireSettings();
            s.Indent = true;
            s.IndentChars = "  ";
            s.NewLineChars = "\n";
            return s;
        }

        static string outDir = ".";

        static void WriteWith<T>(string file, T value, XmlWriterSettings settings)
        {
            var ser = new DataContractSerializer(typeof(T));
            using (var fs = File.Create(Path.Combine(outDir, file)))
            using (var w = XmlWriter.Create(fs, settings))
            {
                ser.WriteObject(w, value);
            }
            Console.WriteLine("wrote " + file);
        }

        // Writes <name>.xml (indented) and <name>.compact.xml (wire format).
        static void Both<T>(string name, T value)
        {
            WriteWith(name + ".xml", value, IndentSettings());
            WriteWith(name + ".compact.xml", value, WireSettings());
        }

        static DateTime U(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0)
        {
            return new DateTime(y, mo, d, h, mi, s, ms, DateTimeKind.Unspecified);
        }

        static WebcamBookingPerformerMade PerformerMade()
        {
            return new WebcamBookingPerformerMade
            {
                UserID = 123456, Nickname = "JosepheneBlogs", SignInNameOrEmail = null, PhoneNumber = null,
                Total = 6, Positive = 7, Neutral = 1, Negative = 0, Ratings = 8, Disputes = 0,
            };
        }

        static WebcamBookingPerformerReceived PerformerReceived()
        {
            return new WebcamBookingPerformerReceived
            {
                UserID = 123456, Nickname = "JosepheneBlogs", SignInNameOrEmail = null, PhoneNumber = null,
                Total = 6, Positive = 7, Neutral = 1, Negative = 0, Ratings = 8, Disputes = 0,
            };
        }

        static int Main(string[] args)
        {
            if (args.Length > 0) outDir = args[0];

            // seed 000: CreateBooking response (List<T> => ArrayOfWebcamBookingResult)
            var results = new List<WebcamBookingResult>
            {
                new WebcamBookingResult { UserID = 123456, BookingID = 1, AlsoPhoneChat = true, Status = 0, StatusDescription = "Success" },
                new WebcamBookingResult { UserID = 123457, BookingID = 2, AlsoPhoneChat = false, Status = 1, StatusDescription = "The Webcam booking is made but the user does not allow phonechat." },
                new WebcamBookingResult { UserID = 123458, BookingID = null, AlsoPhoneChat = false, Status = 2, StatusDescription = "The user is not using Skype for webcam sessions." },
            };
            Both("create_results", results);
            Both("create_results_empty", new List<WebcamBookingResult>());
            // Same list through other writer configurations, to show what they add:
            // default XmlWriterSettings (declaration + BOM) ...
            WriteWith("create_results.default_writer_settings.xml", results, new XmlWriterSettings { Indent = true });
            // ... and WriteObject(Stream) (XmlDictionaryWriter.CreateTextWriter, UTF-8).
            using (var fs = File.Create(Path.Combine(outDir, "create_results.writeobject_stream.xml")))
                new DataContractSerializer(typeof(List<WebcamBookingResult>)).WriteObject(fs, results);
            Console.WriteLine("wrote create_results.writeobject_stream.xml");

            // seed 001: MadeBookingDetails (Webcam.Made, user member "Client").
            // Credits 10.0000m (scale 4) as in the docs' XML sample (the JSON shows 10).
            var made = new WebcamBookingMade
            {
                WebcamBookingID = 1, Duration = 10, Credits = 10.0000m, Status = "Pending", IsMulitple = true,
                SoftwareTypeID = 3, SignInNameOrEmail = "ClientUserOnSkype", AlsoPhoneChat = true,
                CreateDate = U(2018, 1, 1, 11, 0), SessionDate = U(2018, 2, 1, 12, 0), AcceptBy = U(2018, 2, 1, 0, 0),
                AcceptedDate = null, ConfirmedDate = null, CancelledDate = null,
                CancelledReason = null, CancelledBy = null, RejectedReason = null, LastUpdated = null,
                Performer = PerformerMade(),
            };
            Both("webcam_booking_made", made);

            // seed 003: CancelMadeBooking sample (Webcam.Received namespace, member "Performer").
            var received = new WebcamBookingReceived
            {
                WebcamBookingID = 1, Duration = 10, Credits = 10.0000m, Status = "Cancelled", IsMulitple = true,
                SoftwareTypeID = 3, SignInNameOrEmail = "ClientUserOnSkype", AlsoPhoneChat = true,
                CreateDate = U(2018, 1, 1, 11, 0), SessionDate = U(2018, 2, 1, 12, 0), AcceptBy = U(2018, 2, 1, 0, 0),
                AcceptedDate = U(2018, 1, 1, 15, 0), ConfirmedDate = null, CancelledDate = U(2018, 1, 1, 16, 0),
                CancelledReason = "I can't make it.", CancelledBy = "ClientUser", RejectedReason = null,
                LastUpdated = U(2018, 1, 1, 16, 0),
                Performer = PerformerReceived(),
            };
            Both("webcam_booking_received", received);

            // Same as above but the user member is named "Client".
            var receivedClient = new WebcamBookingReceivedClient
            {
                WebcamBookingID = received.WebcamBookingID, Duration = received.Duration, Credits = received.Credits,
                Status = received.Status, IsMulitple = received.IsMulitple, SoftwareTypeID = received.SoftwareTypeID,
                SignInNameOrEmail = received.SignInNameOrEmail, AlsoPhoneChat = received.AlsoPhoneChat,
                CreateDate = received.CreateDate, SessionDate = received.SessionDate, AcceptBy = received.AcceptBy,
                AcceptedDate = received.AcceptedDate, ConfirmedDate = received.ConfirmedDate,
                CancelledDate = received.CancelledDate, CancelledReason = received.CancelledReason,
                CancelledBy = received.CancelledBy, RejectedReason = received.RejectedReason,
                LastUpdated = received.LastUpdated, Performer = PerformerReceived(),
            };
            Both("webcam_booking_received_client", receivedClient);

            // Date/time + decimal variants on the Made booking.
            var dt = new WebcamBookingMade
            {
                WebcamBookingID = 2, Duration = 15, Credits = 10.5m, Status = "Confirmed", IsMulitple = false,
                SoftwareTypeID = 3, SignInNameOrEmail = "ClientUserOnSkype", AlsoPhoneChat = false,
                // Unspecified, 7 fractional digits
                CreateDate = U(2018, 1, 20, 12, 34, 56).AddTicks(1234567),
                // Utc, whole seconds
                SessionDate = new DateTime(2018, 2, 1, 12, 0, 0, DateTimeKind.Utc),
                // Local (TZ=Europe/London, summer => +01:00)
                AcceptBy = new DateTime(2018, 7, 1, 0, 0, 0, DateTimeKind.Local),
                // Utc with milliseconds
                AcceptedDate = new DateTime(2018, 1, 21, 9, 15, 30, 789, DateTimeKind.Utc),
                // Local, winter (=> +00:00), 7 fractional digits
                ConfirmedDate = new DateTime(2018, 1, 21, 10, 0, 0, DateTimeKind.Local).AddTicks(1234567),
                // Unspecified, .1000000 (trailing zeros)
                CancelledDate = U(2018, 1, 22, 8, 0, 0).AddTicks(1000000),
                CancelledReason = null, CancelledBy = null, RejectedReason = null,
                // Unspecified, .0000001
                LastUpdated = U(2018, 1, 22, 8, 0, 0).AddTicks(1),
                Performer = PerformerMade(),
            };
            Both("webcam_booking_datetimes", dt);

            // seed 002: PhoneChat CreateBooking response. Credits 8.0000m as in the docs' XML.
            var pc = new MadeBooking
            {
                BookingID = 1, Duration = 15, Credits = 8.0000m, Status = "Pending", Method = 1,
                PhoneNumber = "44...", SkypeName = null,
                CreateDate = U(2018, 1, 20, 12, 34, 56, 789), SessionDate = U(2018, 1, 22, 21, 30),
                AcceptBy = U(2018, 1, 22, 0, 0),
                AcceptedDate = null, ConfirmedDate = null, CancelledDate = null,
                CancelledReason = null, CancelledBy = null, RejectedReason = null,
                LastUpdated = U(2018, 1, 21, 13, 24, 5, 987),
                Comments = "Hi, I had a great time last weekend, I want to do it again tonight!",
                ActionClient = "BookedUser needs to accept or reject",
                Candidate = new PhoneChatBookingUser
                {
                    UserID = 123456, Nickname = "BookedUser", PhoneNumber = null, SkypeName = null,
                    Total = 6, Positive = 7, Neutral = 0, Negative = 1, Ratings = 8, Disputes = 0,
                },
            };
            Both("phonechat_booking", pc);

            // Same booking with Credits = 32m (scale 0) and 32.0000m (scale 4).
            pc.Credits = 32m;
            Both("phonechat_booking_credits32", pc);
            pc.Credits = 32.0000m;
            Both("phonechat_booking_credits32_0000", pc);

            // A list of PhoneChat bookings: where do nested-namespace prefixes land?
            pc.Credits = 8.0000m;
            var pc2 = new MadeBooking
            {
                BookingID = 2, Duration = 20, Credits = 10.5m, Status = "Accepted", Method = 3,
                PhoneNumber = null, SkypeName = "ClientOnSkype",
                CreateDate = U(2018, 1, 20, 13, 0), SessionDate = U(2018, 1, 23, 20, 0),
                AcceptBy = U(2018, 1, 23, 0, 0), AcceptedDate = U(2018, 1, 21, 9, 0),
                LastUpdated = U(2018, 1, 21, 9, 0), Comments = null, ActionClient = null,
                Candidate = new PhoneChatBookingUser
                {
                    UserID = 123457, Nickname = "OtherUser", PhoneNumber = null, SkypeName = "OtherOnSkype",
                    Total = 1, Positive = 1, Neutral = 0, Negative = 0, Ratings = 1, Disputes = 0,
                },
            };
            Both("phonechat_bookings_list", new List<MadeBooking> { pc, pc2 });

            // Same PhoneChat booking through XmlDictionaryWriter-based paths (WCF-style
            // writers): WriteObject(Stream) and WriteObject inside two wrapper elements
            // (as a SOAP Envelope/Body would be), to show how the prefix choice changes.
            using (var fs = File.Create(Path.Combine(outDir, "phonechat_booking.writeobject_stream.xml")))
                new DataContractSerializer(typeof(MadeBooking)).WriteObject(fs, pc);
            Console.WriteLine("wrote phonechat_booking.writeobject_stream.xml");
            using (var fs = File.Create(Path.Combine(outDir, "probe_prefix_depth.dictionary_writer.xml")))
            using (var w = XmlDictionaryWriter.CreateTextWriter(fs, new UTF8Encoding(false), false))
            {
                w.WriteStartElement("Outer", "urn:golden:outer");
                w.WriteStartElement("Inner", "urn:golden:outer");
                new DataContractSerializer(typeof(MadeBooking)).WriteObject(w, pc);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            Console.WriteLine("wrote probe_prefix_depth.dictionary_writer.xml");
            using (var fs = File.Create(Path.Combine(outDir, "probe_prefix_depth.xml_writer.xml")))
            using (var w = XmlWriter.Create(fs, WireSettings()))
            {
                w.WriteStartElement("Outer", "urn:golden:outer");
                w.WriteStartElement("Inner", "urn:golden:outer");
                new DataContractSerializer(typeof(MadeBooking)).WriteObject(w, pc);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            Console.WriteLine("wrote probe_prefix_depth.xml_writer.xml");

            // Scalar formatting probe.
            var sp = new ScalarProbe
            {
                Dt01_Unspecified_Whole = U(2018, 2, 1, 12, 0),
                Dt02_Unspecified_Millis789 = U(2018, 1, 20, 12, 34, 56, 789),
                Dt03_Unspecified_Ticks1234567 = U(2018, 1, 20, 12, 34, 56).AddTicks(1234567),
                Dt04_Unspecified_Ticks1000000 = U(2018, 1, 20, 12, 34, 56).AddTicks(1000000),
                Dt05_Unspecified_Ticks0000001 = U(2018, 1, 20, 12, 34, 56).AddTicks(1),
                Dt06_Unspecified_Ticks1200000 = U(2018, 1, 20, 12, 34, 56).AddTicks(1200000),
                Dt07_Utc_Whole = new DateTime(2018, 2, 1, 12, 0, 0, DateTimeKind.Utc),
                Dt08_Utc_Ticks1234567 = new DateTime(2018, 2, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1234567),
                Dt09_Local_Winter_Whole = new DateTime(2018, 1, 15, 12, 0, 0, DateTimeKind.Local),
                Dt10_Local_Summer_Whole = new DateTime(2018, 7, 15, 12, 0, 0, DateTimeKind.Local),
                Dt11_Local_Summer_Ticks1234567 = new DateTime(2018, 7, 15, 12, 0, 0, DateTimeKind.Local).AddTicks(1234567),
                Dt12_MinValue = DateTime.MinValue,
                Dt13_MaxValue = DateTime.MaxValue,
                Dt14_Nullable_Null = null,
                Dt15_Nullable_Utc = new DateTime(2018, 2, 1, 12, 0, 0, DateTimeKind.Utc),
                Dto16_Plus0530 = new DateTimeOffset(2018, 2, 1, 12, 0, 0, TimeSpan.FromMinutes(330)),
                Dto17_Minus0800_Ticks1234567 = new DateTimeOffset(2018, 2, 1, 12, 0, 0, TimeSpan.FromHours(-8)).AddTicks(1234567),
                Dec20_32 = 32m,
                Dec21_32_0000 = 32.0000m,
                Dec22_10_5 = 10.5m,
                Dec23_10_50 = 10.50m,
                Dec24_8_0000 = 8.0000m,
                Dec25_0 = 0m,
                Dec26_0_0000 = 0.0000m,
                Dec27_Minus1_25 = -1.25m,
                Dec28_0_0001 = 0.0001m,
                Dec29_1234567_8901 = 1234567.8901m,
                Dec30_Nullable_Null = null,
                Dec31_Divided_10_3 = 10m / 3m,
                Bool40_True = true,
                Bool41_False = false,
                Int42_Negative = -42,
                Int43_Nullable_Null = null,
            };
            Both("probe_scalars", sp);

            var op = new OrderingProbe
            {
                b_lower = "b", A_Upper = "A", Z_Upper = "Z", a_lower = "a", _underscore = "_",
                AcceptedDate = "AcceptedDate", AcceptBy = "AcceptBy",
                EmptyString = "", NullString = null,
                Escaping = "a & b < c > d \"dq\" 'sq' ]]> end",
                Newlines = "line1\nline2\r\nline3\rline4\ttab",
                NonAscii = "caf\u00e9 \u00a3 \u20ac \U0001F600",
                Whitespace = "  leading and trailing  ",
            };
            Both("probe_ordering_strings", op);

            return 0;
        }
    }
}
