// Payment Inquiry v4.3 codecs (the answer shares its fields with the backend notification).
export {
  decodePaymentInquiryRequest,
  decodePaymentInquiryResponse,
  encodePaymentInquiryRequest,
  encodePaymentInquiryResponse,
} from './payment-result.js';
