// How a TypeScript client uses Partpilot's generated types; tsc must accept it (tests/test_openapi_clients.py).
import type { components, operations } from "./api";

type Schemas = components["schemas"];

// A photo upload's form fields are Blobs (multipart/form-data), not strings.
const upload: Schemas["Body_upload_photo"] = { file: new Blob([new Uint8Array([0xff, 0xd8])], { type: "image/jpeg" }) };
const identify: Schemas["Body_identify_part"] = { image: new Blob([]), context: "on the car top" };
type UploadBody = operations["upload_photo"]["requestBody"]["content"]["multipart/form-data"];
const asSent: UploadBody = upload;

// Search says how many parts it ranked; every list is a page.
const total: number = ({} as Schemas["PartSearchResponse"]).total;
const offers: Schemas["OfferView"][] = ({} as Schemas["Page_OfferView_"]).items;
const lowStock: Schemas["LowStockAlert"][] = ({} as Schemas["Page_LowStockAlert_"]).items;
const more: boolean = ({} as Schemas["Page_LowStockAlert_"]).has_more;

export { asSent, identify, lowStock, more, offers, total };
