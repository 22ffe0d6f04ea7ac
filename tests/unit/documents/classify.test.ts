import { describe, expect, it } from 'vitest';
import {
  checkPatient,
  classifyDocument,
  DOCUMENT_TYPES,
  guessClinician,
  guessFacility,
  guessServiceDate,
  guessTitle,
  sameName,
} from '../../../electron/core/documents/analysis/classify';
import { findDates } from '../../../electron/core/documents/analysis/dates';
import { PROFILE, SAMPLES } from '../../fixtures/documents/texts';

describe('classifyDocument', () => {
  it('has at least two realistic samples for every type', () => {
    for (const type of DOCUMENT_TYPES) {
      expect(SAMPLES.filter((sample) => sample.type === type).length, type).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(SAMPLES.map((sample) => [sample.id, sample] as const))('%s', (_id, sample) => {
    const result = classifyDocument(sample.text);
    expect(result.type).toBe(sample.type);
    if (sample.type === 'other') {
      expect(result.reason).toMatch(/^No wording typical/);
    } else {
      // The reason quotes phrases that are really in the text.
      expect(result.reason).toMatch(/^Mentions “[^”]+”/);
    }
  });

  it('names the phrases that decided, in plain words', () => {
    const result = classifyDocument(SAMPLES.find((sample) => sample.id === 'pathology-core-biopsy')!.text);
    expect(result.reason).toBe('Mentions “surgical pathology”, “pathology report”, “gross description”');
  });

  it('copes with OCR text: line breaks inside phrases, hyphenation, odd capitals', () => {
    const ocr = 'EXPLANATION OF\nBENEFITS\nThis is not\na bill. Patient respon-\nsibility: $20.00. Claim number 1234';
    expect(classifyDocument(ocr).type).toBe('insurance');
    expect(classifyDocument('surgical\npathology report\nspecimen: left breast').type).toBe('pathology');
  });

  it('says so when there is no text at all', () => {
    expect(classifyDocument('')).toEqual({ type: 'other', reason: expect.stringMatching(/No text could be read/) });
    expect(classifyDocument('   \n ~~ . , ')).toMatchObject({ type: 'other' });
  });

  it('does not take short abbreviations out of ordinary words (CT in "October", PET in "carpet")', () => {
    expect(classifyDocument('We met in October and chose a new carpet for the clinic waiting room.').type).toBe('other');
  });
});

describe('guessServiceDate', () => {
  it.each(SAMPLES.map((sample) => [sample.id, sample] as const))('%s', (_id, sample) => {
    const guess = guessServiceDate(sample.text, { birthDate: PROFILE.birthDate });
    if (sample.date === null) {
      expect(guess).toBeNull();
      return;
    }
    expect(guess?.date).toBe(sample.date);
    if (sample.dateLabel === 'first') expect(guess?.reason).toBe('The first date in the document that is not a birth date');
    else expect(guess?.reason.toLowerCase()).toMatch(new RegExp(`^the date labelled “.*${sample.dateLabel!.toLowerCase()}`));
  });

  it.each([
    ['03/14/2025', '2025-03-14'],
    ['3/14/25', '2025-03-14'],
    ['14.03.2025', '2025-03-14'],
    ['03-14-2025', '2025-03-14'],
    ['March 14, 2025', '2025-03-14'],
    ['Mar. 14 2025', '2025-03-14'],
    ['March 14th, 2025', '2025-03-14'],
    ['2025-03-14', '2025-03-14'],
    ['2025/03/14', '2025-03-14'],
    ['14 Mar 2025', '2025-03-14'],
    ['14-MAR-2025', '2025-03-14'],
    ['14-Mar-25', '2025-03-14'],
    ['14 March 2025', '2025-03-14'],
    ['Sept 3, 2024', '2024-09-03'],
  ])('reads %s', (written, iso) => {
    expect(guessServiceDate(`Date of service: ${written}`)).toEqual({ date: iso, reason: 'The date labelled “Date of service”' });
  });

  it('reads ambiguous numeric dates the US way unless that is impossible', () => {
    expect(guessServiceDate('Collected: 04.03.2025')?.date).toBe('2025-04-03');
    expect(guessServiceDate('Collected: 04/03/2025')?.date).toBe('2025-04-03');
    expect(guessServiceDate('Collected: 13.04.2025')?.date).toBe('2025-04-13');
    expect(findDates('on 04.03.2025')[0]).toMatchObject({ iso: '2025-04-03', alternative: '2025-03-04' });
  });

  it('ignores impossible dates, versions and phone numbers', () => {
    expect(findDates('Seen 02/30/2025, version 10.4.2, call 555-123-4567, ratio 3/4')).toEqual([]);
    expect(guessServiceDate('Procedure date: 31/31/2025')).toBeNull();
  });

  it('never returns a labelled birth date, even when it is the only date', () => {
    expect(guessServiceDate('Patient: A Example   DOB: 04/09/1971')).toBeNull();
    expect(guessServiceDate('Date of Birth: April 9, 1971\nNotes')).toBeNull();
    expect(guessServiceDate('D.O.B. 1971-04-09  Visit date: 2025-01-02')?.date).toBe('2025-01-02');
    expect(guessServiceDate('Born 9 Apr 1971. Seen 2025-01-02')?.date).toBe('2025-01-02');
  });

  it('never returns the profile birth date, even unlabelled or written day-first', () => {
    expect(guessServiceDate('04/09/1971\nReport follows', { birthDate: '1971-04-09' })).toBeNull();
    expect(guessServiceDate('09.04.1971 / 2025-02-02', { birthDate: '1971-04-09' })?.date).toBe('2025-02-02');
  });

  it('prefers the service date to the report date, and either to a follow-up or printed date', () => {
    const text = 'Printed on 06/30/2025\nReported: 03/17/2025\nCollected: 03/14/2025\nFollow-up: 04/20/2025';
    expect(guessServiceDate(text)).toEqual({ date: '2025-03-14', reason: 'The date labelled “Collected”' });
    expect(guessServiceDate('Printed on 06/30/2025\nSigned: 03/17/2025')?.date).toBe('2025-03-17');
  });

  it('takes a label on the line above ("Collected:" then the date)', () => {
    expect(guessServiceDate('Received: 03/20/2025\nCollected:\n03/14/2025')?.date).toBe('2025-03-14');
  });
});

describe('guessFacility, guessClinician, guessTitle', () => {
  it.each(SAMPLES.map((sample) => [sample.id, sample] as const))('%s', (_id, sample) => {
    const facility = guessFacility(sample.text);
    if (sample.facility === null) expect(facility).toBeNull();
    else expect(facility?.name).toContain(sample.facility);
    if (facility) expect(facility.reason).toMatch(/^(Named after “.+”|Appears in the letterhead)/);

    const clinician = guessClinician(sample.text);
    if (sample.clinician === null) expect(clinician).toBeNull();
    else expect(clinician?.name).toContain(sample.clinician);

    expect(guessTitle(sample.text, sample.type).toLowerCase()).toContain(sample.title.toLowerCase());
  });

  it('reads signatures in their usual forms', () => {
    expect(guessClinician('Electronically signed by: Smith, Jane A MD on 03/14/2025 at 10:42')?.name).toBe('Smith, Jane A MD');
    expect(guessClinician('Electronically signed by Jane A. Smith, M.D. 03/14/2025')?.name).toBe('Jane A. Smith, M.D.');
    expect(guessClinician('Pathologist: Jane Smith, MD, FCAP')).toEqual({
      name: 'Jane Smith, MD, FCAP',
      reason: 'Named after “Pathologist”',
    });
    // The author comes before the person who ordered the test.
    expect(guessClinician('Ordering Physician: Ann Order, MD\nRadiologist: Bo Reader, MD')?.name).toBe('Bo Reader, MD');
    expect(guessClinician('Ordering Physician: Ann Order, MD')?.name).toBe('Ann Order, MD');
    expect(guessClinician('Thank you for referring her. Kind regards, Ann Order, MD')?.name).toBe('Ann Order, MD');
  });

  it('does not take a hospital for a clinician', () => {
    expect(guessClinician('Provider: Riverbend General Hospital')).toBeNull();
  });

  it('puts ALL-CAPS letterheads in title case and stops before the address', () => {
    expect(guessFacility('ST. ELSEWHERE MEDICAL CENTER, 1 Main St, Springfield')?.name).toBe('St. Elsewhere Medical Center');
    expect(guessFacility('Facility: Hilltop Oncology Associates   Phone 555-0100')).toEqual({
      name: 'Hilltop Oncology Associates',
      reason: 'Named after “Facility”',
    });
  });

  it('falls back to a plain type name when the document has no heading', () => {
    expect(guessTitle('wbc 3.1 rbc 4.0', 'lab')).toBe('Lab results');
    expect(guessTitle('', 'other')).toBe('Document');
  });
});

describe('checkPatient', () => {
  it('accepts every sample, which all name the profile person in their own way', () => {
    for (const sample of SAMPLES) expect(checkPatient(sample.text, PROFILE), sample.id).toEqual([]);
  });

  it.each([
    ['Patient: TESTPATIENT, ZYXWVUT'],
    ['Patient Name: Testpatient, Zyxwvut Q.'],
    ['Name: zyxwvut testpatient'],
    ['Patient: Zyxwvüt Téstpatient'],
    ['Patient Name (Last, First): Testpatient, Zyxwvut'],
    ['Pt Name: Z. Testpatient'],
    ['Patient: Ms. Zyxwvut Testpatient'],
    ['Patient: Zyxwvut Q Testpatient   DOB: 4/9/71'],
    ['Patient: Zyxwvut Testpatient   DOB: 09.04.1971'],
    ['Patient: Zyxwvut Testpatient   Date of Birth: April 9, 1971'],
  ])('accepts %s', (text) => {
    expect(checkPatient(text, PROFILE)).toEqual([]);
  });

  it('flags another name after a patient label, once', () => {
    const text = 'Patient: DOE, JOHN   DOB: 04/09/1971\nPage 2\nPatient: Doe, John';
    expect(checkPatient(text, PROFILE)).toEqual([
      {
        field: 'name',
        found: 'DOE, JOHN',
        expected: PROFILE.fullName,
        reason: `The document names the patient “DOE, JOHN”, not ${PROFILE.fullName}.`,
      },
    ]);
  });

  it('flags another birth date', () => {
    expect(checkPatient('Patient: Zyxwvut Testpatient  DOB: 02/03/1980', PROFILE)).toEqual([
      {
        field: 'birthDate',
        found: '1980-02-03',
        expected: '1971-04-09',
        reason: 'The document gives the birth date 02/03/1980, which is not the birth date in your profile.',
      },
    ]);
  });

  it('flags a different given name or family name', () => {
    expect(checkPatient('Name: Zyxwvut Otherperson', PROFILE)).toHaveLength(1);
    expect(checkPatient('Patient: Annabel Testpatient', PROFILE)).toHaveLength(1);
    expect(checkPatient('Patient: Y. Testpatient', PROFILE)).toHaveLength(1);
  });

  it('ignores names after other people\'s labels', () => {
    const text = [
      'Ordering Physician: Harold Lumen, MD',
      'Referring Physician Name: Jane Other',
      'Subscriber Name: Quentin Spouse',
      'Emergency contact name: Rita Neighbour',
      'Facility Name: Riverbend General Hospital',
      'Patient: Zyxwvut Testpatient',
    ].join('\n');
    expect(checkPatient(text, PROFILE)).toEqual([]);
  });

  it('does not mistake narrative or a clinician for a patient name', () => {
    const text = [
      'Patient: tolerating treatment well, no new complaints.',
      'Patient: Female',
      'Name: Harold Lumen, MD',
      'Patient: Zyxwvut Testpatient',
    ].join('\n');
    expect(checkPatient(text, PROFILE)).toEqual([]);
  });

  it('compares names tolerantly', () => {
    expect(sameName('GARCIA LOPEZ, MARIA', 'María García López')).toBe(true);
    expect(sameName('Maria Garcia', 'María García López')).toBe(true);
    expect(sameName("O'BRIEN, SIOBHAN", 'Siobhan O’Brien')).toBe(true);
    expect(sameName('Siobhan Smith', 'Siobhan O’Brien')).toBe(false);
    expect(sameName('Brien', 'Siobhan O’Brien')).toBe(false);
  });
});
