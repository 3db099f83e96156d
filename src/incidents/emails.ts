/**
 * E-mails of incident coordination in en, es, pt, fr. They carry references and links only, never
 * case content: what a case says is read in the platform, under its TLP.
 */
import type { MailTemplate } from '../mail/render.ts';

export const reportConfirm: MailTemplate = {
  subject: {
    en: 'Hemisphere: confirm your incident report',
    es: 'Hemisphere: confirme su reporte de incidente',
    pt: 'Hemisphere: confirme a sua notificação de incidente',
    fr: "Hemisphere : confirmez votre signalement d'incident",
  },
  text: {
    en: 'You (or someone using this address) reported an incident to {team}.\nOpen this link within {hours} hours to confirm the report; until then nobody reads it:\n{link}\n\nIf this was not you, ignore this message.\n',
    es: 'Usted (o alguien que usa esta dirección) reportó un incidente a {team}.\nAbra este enlace dentro de {hours} horas para confirmar el reporte; hasta entonces nadie lo lee:\n{link}\n\nSi no fue usted, ignore este mensaje.\n',
    pt: 'Você (ou alguém que usa este endereço) notificou um incidente a {team}.\nAbra este link dentro de {hours} horas para confirmar a notificação; até lá ninguém a lê:\n{link}\n\nSe não foi você, ignore esta mensagem.\n',
    fr: "Vous (ou quelqu'un utilisant cette adresse) avez signalé un incident à {team}.\nOuvrez ce lien dans les {hours} heures pour confirmer le signalement ; d'ici là personne ne le lit :\n{link}\n\nSi ce n'était pas vous, ignorez ce message.\n",
  },
};

export const reportReceived: MailTemplate = {
  subject: {
    en: 'Hemisphere: new incident report for {team}',
    es: 'Hemisphere: nuevo reporte de incidente para {team}',
    pt: 'Hemisphere: nova notificação de incidente para {team}',
    fr: "Hemisphere : nouveau signalement d'incident pour {team}",
  },
  text: {
    en: 'A new incident report waits for triage by {team}:\n{link}\n',
    es: 'Un nuevo reporte de incidente espera la clasificación de {team}:\n{link}\n',
    pt: 'Uma nova notificação de incidente aguarda a triagem de {team}:\n{link}\n',
    fr: "Un nouveau signalement d'incident attend le tri de {team} :\n{link}\n",
  },
};

export const reportDecided: MailTemplate = {
  subject: {
    en: 'Hemisphere: your incident report was {decision}',
    es: 'Hemisphere: su reporte de incidente fue {decision}',
    pt: 'Hemisphere: a sua notificação de incidente foi {decision}',
    fr: "Hemisphere : votre signalement d'incident a été {decision}",
  },
  text: {
    en: '{team} has triaged your report "{title}": {decision}.\n{reason}\n',
    es: '{team} clasificó su reporte "{title}": {decision}.\n{reason}\n',
    pt: '{team} fez a triagem da sua notificação "{title}": {decision}.\n{reason}\n',
    fr: '{team} a trié votre signalement « {title} » : {decision}.\n{reason}\n',
  },
};

/** Decisions in the reporter's language (filled into reportDecided). */
export const DECISIONS = {
  case: { en: 'accepted as a case', es: 'aceptado como caso', pt: 'aceite como caso', fr: 'accepté comme dossier' },
  rejected: { en: 'rejected', es: 'rechazado', pt: 'rejeitado', fr: 'rejeté' },
} as const;

export const caseEvent: MailTemplate = {
  subject: {
    en: 'Hemisphere: case {reference} — {event}',
    es: 'Hemisphere: caso {reference} — {event}',
    pt: 'Hemisphere: caso {reference} — {event}',
    fr: 'Hemisphere : dossier {reference} — {event}',
  },
  text: {
    en: 'There is news in case {reference} ({event}). Read it in Hemisphere:\n{link}\n',
    es: 'Hay novedades en el caso {reference} ({event}). Léalas en Hemisphere:\n{link}\n',
    pt: 'Há novidades no caso {reference} ({event}). Leia-as no Hemisphere:\n{link}\n',
    fr: 'Il y a du nouveau dans le dossier {reference} ({event}). Lisez-le dans Hemisphere :\n{link}\n',
  },
};

export const CASE_EVENTS = {
  participant_added: { en: 'your team was added', es: 'su equipo fue añadido', pt: 'a sua equipa foi adicionada', fr: 'votre équipe a été ajoutée' },
  constituency_match: { en: 'your constituency is involved', es: 'su comunidad atendida está involucrada', pt: 'a sua comunidade servida está envolvida', fr: 'votre périmètre est concerné' },
  assigned: { en: 'assigned to you', es: 'asignado a usted', pt: 'atribuído a si', fr: 'qui vous est attribué' },
  status: { en: 'status changed', es: 'cambio de estado', pt: 'mudança de estado', fr: 'changement de statut' },
} as const;

export const assistanceEvent: MailTemplate = {
  subject: {
    en: 'Hemisphere: assistance request — {event}',
    es: 'Hemisphere: solicitud de asistencia — {event}',
    pt: 'Hemisphere: pedido de assistência — {event}',
    fr: "Hemisphere : demande d'assistance — {event}",
  },
  text: {
    en: 'An assistance request needs your attention ({event}). Read it in Hemisphere:\n{link}\n',
    es: 'Una solicitud de asistencia requiere su atención ({event}). Léala en Hemisphere:\n{link}\n',
    pt: 'Um pedido de assistência requer a sua atenção ({event}). Leia-o no Hemisphere:\n{link}\n',
    fr: "Une demande d'assistance requiert votre attention ({event}). Lisez-la dans Hemisphere :\n{link}\n",
  },
};

export const ASSISTANCE_EVENTS = {
  published: { en: 'help is needed', es: 'se necesita ayuda', pt: 'é necessária ajuda', fr: "de l'aide est demandée" },
  offer: { en: 'a team offers help', es: 'un equipo ofrece ayuda', pt: 'uma equipa oferece ajuda', fr: 'une équipe propose son aide' },
  accepted: { en: 'your offer was accepted', es: 'su oferta fue aceptada', pt: 'a sua oferta foi aceite', fr: 'votre offre a été acceptée' },
  closed: { en: 'closed with lessons learned', es: 'cerrada con lecciones aprendidas', pt: 'encerrado com lições aprendidas', fr: 'clôturée avec retour d’expérience' },
} as const;
