//! The XML name and white-space productions the engine uses: the model's, in one place.

pub(crate) use qschema_model::xml_chars::{
    is_name, is_name_char, is_name_start_char as is_name_start, is_ncname, is_nmtoken, is_qname,
    is_xml_space,
};
