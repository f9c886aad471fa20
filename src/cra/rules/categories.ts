// Important products (Annex III, class I and II) and critical products (Annex IV). A product is in
// a category when it has that category's core functionality (Art. 7(1), Art. 8(1)); integrating a
// component that has it does not in itself put the product in the category (Art. 7(1), second
// subparagraph; Implementing Regulation (EU) 2025/2392, recitals 2–5).
import type { ProductClass } from '../../model/cra.ts';

export interface Category { id: string; annex: 'III' | 'IV'; class: ProductClass; point: string; title: string; cite: string }

const I = (n: number, title: string): Category => ({ id: `III-I-${n}`, annex: 'III', class: 'important-I', point: `Class I, point ${n}`, title, cite: `Annex III, Class I, point ${n}` });
const II = (n: number, title: string): Category => ({ id: `III-II-${n}`, annex: 'III', class: 'important-II', point: `Class II, point ${n}`, title, cite: `Annex III, Class II, point ${n}` });
const IV = (n: number, title: string): Category => ({ id: `IV-${n}`, annex: 'IV', class: 'critical', point: `point ${n}`, title, cite: `Annex IV, point ${n}` });

export const CATEGORIES: readonly Category[] = [
  I(1, 'Identity management systems and privileged access management software and hardware, including authentication and access control readers, including biometric readers'),
  I(2, 'Standalone and embedded browsers'),
  I(3, 'Password managers'),
  I(4, 'Software that searches for, removes, or quarantines malicious software'),
  I(5, 'Products with digital elements with the function of virtual private network (VPN)'),
  I(6, 'Network management systems'),
  I(7, 'Security information and event management (SIEM) systems'),
  I(8, 'Boot managers'),
  I(9, 'Public key infrastructure and digital certificate issuance software'),
  I(10, 'Physical and virtual network interfaces'),
  I(11, 'Operating systems'),
  I(12, 'Routers, modems intended for the connection to the internet, and switches'),
  I(13, 'Microprocessors with security-related functionalities'),
  I(14, 'Microcontrollers with security-related functionalities'),
  I(15, 'Application specific integrated circuits (ASIC) and field-programmable gate arrays (FPGA) with security-related functionalities'),
  I(16, 'Smart home general purpose virtual assistants'),
  I(17, 'Smart home products with security functionalities, including smart door locks, security cameras, baby monitoring systems and alarm systems'),
  I(18, 'Internet connected toys covered by Directive 2009/48/EC that have social interactive features (e.g. speaking or filming) or that have location tracking features'),
  I(19, 'Personal wearable products to be worn or placed on a human body that have a health monitoring (such as tracking) purpose and to which Regulation (EU) 2017/745 or (EU) 2017/746 do not apply, or personal wearable products that are intended for the use by and for children'),
  II(1, 'Hypervisors and container runtime systems that support virtualised execution of operating systems and similar environments'),
  II(2, 'Firewalls, intrusion detection and prevention systems'),
  II(3, 'Tamper-resistant microprocessors'),
  II(4, 'Tamper-resistant microcontrollers'),
  IV(1, 'Hardware Devices with Security Boxes'),
  IV(2, 'Smart meter gateways within smart metering systems as defined in Article 2, point (23) of Directive (EU) 2019/944 and other devices for advanced security purposes, including for secure cryptoprocessing'),
  IV(3, 'Smartcards or similar devices, including secure elements'),
];

export const CLASS_ORDER: readonly ProductClass[] = ['default', 'important-I', 'important-II', 'critical'];

export function category(id: string): Category | undefined {
  return CATEGORIES.find((c) => c.id === id);
}
