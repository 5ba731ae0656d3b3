/** QR codes as inline SVG, made with the `qrcode` library (no canvas needed, so it runs in the Worker). */
import QRCode from "qrcode";

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
}
